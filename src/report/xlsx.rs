//! The report as a workbook: a cover sheet, then one sheet per section,
//! with a line chart of the daily trend on its sheet.

use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, XlsxError};

use super::model::{Cell, SituationReport};

pub fn render(report: &SituationReport) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let pct = Format::new().set_num_format("0.0%");

    let cover = book.add_worksheet().set_name("报告")?;
    cover.write_with_format(0, 0, report.title.as_str(), &title)?;
    cover.write(1, 0, "统计截至")?;
    cover.write(1, 1, report.as_of.as_str())?;
    cover.write(2, 0, "生成时间")?;
    cover.write(2, 1, report.generated_at.as_str())?;
    for (i, note) in report.notes.iter().enumerate() {
        cover.write(4 + i as u32, 0, "说明")?;
        cover.write(4 + i as u32, 1, note.as_str())?;
    }
    cover.set_column_width(0, 12)?;
    cover.set_column_width(1, 60)?;

    for table in report.tables() {
        let sheet = book.add_worksheet().set_name(table.title)?;
        for (c, h) in table.header.iter().enumerate() {
            sheet.write_with_format(0, c as u16, *h, &bold)?;
            sheet.set_column_width(c as u16, if c == 0 { 24 } else { 14 })?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => {
                        sheet.write(r, c, s.as_str())?;
                    }
                    Cell::Int(n) => {
                        sheet.write(r, c, *n as f64)?;
                    }
                    Cell::Num(x) => {
                        sheet.write(r, c, *x)?;
                    }
                    Cell::Pct(x) => {
                        sheet.write_with_format(r, c, *x, &pct)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        if table.key == "trend" && !table.rows.is_empty() {
            let last = table.rows.len() as u32;
            let mut chart = Chart::new(ChartType::Line);
            for col in 1..=3u16 {
                chart
                    .add_series()
                    .set_name((table.title, 0, col))
                    .set_categories((table.title, 1, 0, last, 0))
                    .set_values((table.title, 1, col, last, col));
            }
            chart.title().set_name("每日事件量");
            sheet.insert_chart(1, 5, &chart)?;
        }
    }
    book.save_to_buffer()
}
