//! The report as one CSV: each section a block headed by its title line,
//! then its header and rows, blocks separated by an empty line. UTF-8 with a
//! byte-order mark so Excel on a Chinese desktop opens it as UTF-8.

use super::ReportError;
use super::model::{Cell, SituationReport};

pub fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Int(n) => n.to_string(),
        Cell::Num(x) => format!("{x}"),
        Cell::Pct(x) => format!("{:.1}%", x * 100.0),
        Cell::Empty => String::new(),
    }
}

pub fn csv(report: &SituationReport) -> Result<Vec<u8>, ReportError> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        w.write_record([report.title.as_str()])?;
        w.write_record(["统计截至", report.as_of.as_str()])?;
        for note in &report.notes {
            w.write_record(["说明", note.as_str()])?;
        }
        for t in report.tables() {
            w.write_record([""])?;
            w.write_record([format!("【{}】", t.title)])?;
            w.write_record(&t.header)?;
            for row in &t.rows {
                w.write_record(row.iter().map(cell_text))?;
            }
        }
        w.flush().map_err(csv::Error::from)?;
    }
    Ok(out)
}
