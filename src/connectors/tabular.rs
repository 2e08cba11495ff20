//! CSV and XLSX files into raw records, one row at a time, so that one bad row (undecodable
//! bytes, wrong column count) becomes one reject and the rest of the file still lands.

use std::io::Cursor;

use calamine::{Data, Reader};
use serde_json::{Map, Value};

use super::config::FilesConfig;
use super::{RawRecord, RawReject};

/// A row of a file, in file order.
#[derive(Debug, Clone)]
pub enum Row {
    Record(RawRecord),
    Reject(RawReject),
}

#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("{file}: {message}")]
    Unreadable { file: String, message: String },
}

/// Whether a file is read as a workbook (`.xlsx`/`.xls`); anything else is CSV.
pub fn is_workbook(file_name: &str) -> bool {
    let lower = file_name.to_lowercase();
    lower.ends_with(".xlsx") || lower.ends_with(".xls")
}

/// Reads a whole CSV or XLSX file (tests and small files; large CSV files are read in chunks
/// with [`CsvLayout`]).
pub fn read_rows(
    file_name: &str,
    bytes: &[u8],
    config: &FilesConfig,
) -> Result<Vec<Row>, TableError> {
    if is_workbook(file_name) {
        return read_xlsx(file_name, bytes, config);
    }
    let layout = CsvLayout::read(file_name, bytes, config)?;
    Ok(layout
        .rows(
            file_name,
            bytes,
            layout.data_start,
            layout.data_line,
            usize::MAX,
        )
        .rows)
}

pub fn read_csv(
    file_name: &str,
    bytes: &[u8],
    config: &FilesConfig,
) -> Result<Vec<Row>, TableError> {
    read_rows(file_name, bytes, config)
}

fn unreadable(file: &str, message: impl Into<String>) -> TableError {
    TableError::Unreadable {
        file: file.to_string(),
        message: message.into(),
    }
}

/// A CSV file's header and where its data starts, so rows can be read in chunks from any
/// committed byte offset without holding the parsed file in memory.
#[derive(Debug, Clone)]
pub struct CsvLayout {
    pub header: Vec<String>,
    /// Byte offset of the first data row (after the byte-order mark and header).
    pub data_start: usize,
    /// Line number of the first data row.
    pub data_line: u64,
    encoding: &'static encoding_rs::Encoding,
    delimiter: u8,
}

/// Rows read from a chunk and where the next chunk starts.
pub struct Chunk {
    pub rows: Vec<Row>,
    pub next_byte: usize,
    pub next_line: u64,
    pub at_end: bool,
}

impl CsvLayout {
    pub fn read(
        file_name: &str,
        bytes: &[u8],
        config: &FilesConfig,
    ) -> Result<CsvLayout, TableError> {
        let encoding = config.encoding.encoding();
        let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let delimiter = u8::try_from(config.delimiter).map_err(|_| {
            unreadable(
                file_name,
                format!(
                    "delimiter `{}` is not a single-byte character",
                    config.delimiter
                ),
            )
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(&bytes[bom..]);
        let mut header = csv::ByteRecord::new();
        match reader.read_byte_record(&mut header) {
            Ok(false) => {
                return Ok(CsvLayout {
                    header: vec![],
                    data_start: bytes.len(),
                    data_line: 1,
                    encoding,
                    delimiter,
                });
            }
            Err(e) => return Err(unreadable(file_name, format!("header row: {e}"))),
            Ok(true) => {}
        }
        let header: Vec<String> = header
            .iter()
            .map(|f| decode(encoding, f).map(|s| s.trim().to_string()))
            .collect::<Option<_>>()
            .ok_or_else(|| {
                unreadable(
                    file_name,
                    format!("header row is not valid {}", encoding.name().to_uppercase()),
                )
            })?;
        let pos = reader.position();
        Ok(CsvLayout {
            header,
            data_start: bom + pos.byte() as usize,
            data_line: pos.line(),
            encoding,
            delimiter,
        })
    }

    /// Up to `max` rows starting at byte `start` (a row boundary this layout handed out).
    pub fn rows(
        &self,
        file_name: &str,
        bytes: &[u8],
        start: usize,
        start_line: u64,
        max: usize,
    ) -> Chunk {
        // Bytes, not text: a row with broken encoding must not spoil its neighbours, and the csv
        // parser only needs ASCII quotes and delimiters, which GB18030 never uses inside a character.
        let slice = &bytes[start.min(bytes.len())..];
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .from_reader(slice);
        let mut rows = Vec::new();
        let mut record = csv::ByteRecord::new();
        let line_of = |l: u64| start_line + l - 1;
        while rows.len() < max {
            let begin = reader.position().clone();
            match reader.read_byte_record(&mut record) {
                Ok(false) => {
                    return Chunk {
                        rows,
                        next_byte: bytes.len(),
                        next_line: line_of(reader.position().line()),
                        at_end: true,
                    };
                }
                Ok(true) => {
                    let end = reader.position().byte() as usize;
                    let whole = &slice[begin.byte() as usize..end];
                    let raw = trim_newline(whole);
                    // In a CRLF file the reader stops between CR and LF, so the row's bytes start
                    // with the LF that ends the line before it.
                    let skipped = whole
                        .iter()
                        .take_while(|c| **c == b'\n' || **c == b'\r')
                        .filter(|c| **c == b'\n')
                        .count();
                    let location = format!(
                        "{file_name} line {}",
                        line_of(begin.line()) + skipped as u64
                    );
                    if let Some(row) = self.row(&record, raw, location) {
                        rows.push(row);
                    }
                }
                Err(e) => {
                    let location = format!("{file_name} line {}", line_of(begin.line()));
                    rows.push(Row::Reject(RawReject {
                        record_id: None,
                        location,
                        text: String::new(),
                        bytes_hex: None,
                        reason: format!("unreadable CSV: {e}"),
                    }));
                    // The csv reader cannot resume inside a broken record; the rest is unreadable too.
                    return Chunk {
                        rows,
                        next_byte: bytes.len(),
                        next_line: line_of(reader.position().line()),
                        at_end: true,
                    };
                }
            }
        }
        let pos = reader.position();
        let next_byte = start + pos.byte() as usize;
        Chunk {
            rows,
            next_byte,
            next_line: line_of(pos.line()),
            at_end: next_byte >= bytes.len(),
        }
    }

    fn row(&self, record: &csv::ByteRecord, raw: &[u8], location: String) -> Option<Row> {
        if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
            return None; // blank line
        }
        let encoding = self.encoding;
        let first = record
            .get(0)
            .and_then(|f| decode(encoding, f))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        if record.len() != self.header.len() {
            return Some(Row::Reject(RawReject {
                record_id: first,
                location,
                text: encoding.decode_without_bom_handling(raw).0.into_owned(),
                bytes_hex: None,
                reason: format!(
                    "wrong column count: expected {} columns, found {}",
                    self.header.len(),
                    record.len()
                ),
            }));
        }
        let mut fields = Map::new();
        for (name, value) in self.header.iter().zip(record.iter()) {
            match decode(encoding, value) {
                Some(text) => {
                    fields.insert(name.clone(), Value::String(text));
                }
                None => {
                    return Some(Row::Reject(RawReject {
                        record_id: first,
                        location,
                        text: encoding.decode_without_bom_handling(raw).0.into_owned(),
                        bytes_hex: Some(hex(raw)),
                        reason: format!(
                            "column `{name}` is not valid {} text",
                            encoding.name().to_uppercase()
                        ),
                    }));
                }
            }
        }
        Some(Row::Record(RawRecord {
            fields,
            text: None,
            location,
        }))
    }
}

fn decode(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> Option<String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|c| c.into_owned())
}

/// A row's bytes without line ends (the reader's offsets fall between the CR and LF of CRLF).
fn trim_newline(b: &[u8]) -> &[u8] {
    let is_end = |c: &u8| *c == b'\n' || *c == b'\r';
    let start = b.iter().position(|c| !is_end(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !is_end(c)).map_or(start, |i| i + 1);
    &b[start..end]
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn read_xlsx(
    file_name: &str,
    bytes: &[u8],
    config: &FilesConfig,
) -> Result<Vec<Row>, TableError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| unreadable(file_name, format!("not a readable workbook: {e}")))?;
    let range = match &config.sheet {
        Some(name) => book
            .worksheet_range(name)
            .map_err(|e| unreadable(file_name, format!("sheet `{name}`: {e}")))?,
        None => book
            .worksheet_range_at(0)
            .ok_or_else(|| unreadable(file_name, "the workbook has no sheet"))?
            .map_err(|e| unreadable(file_name, format!("first sheet: {e}")))?,
    };
    let mut rows_iter = range.rows();
    let mut header: Vec<String> = match rows_iter.next() {
        None => return Ok(Vec::new()),
        Some(h) => h.iter().map(|c| cell_text(c).trim().to_string()).collect(),
    };
    // The range is as wide as the widest row, so one row with a cell past the
    // last column widens the header with empty names; that cell must still
    // reject its row, as a CSV row with a field too many is.
    while header.last().is_some_and(|h| h.is_empty()) {
        header.pop();
    }
    let mut rows = Vec::new();
    for (i, cells) in rows_iter.enumerate() {
        if cells.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        // Row numbers as a clerk sees them in Excel: the header is row 1.
        let location = format!("{file_name} row {}", i + 2);
        let mut fields = Map::new();
        for (j, name) in header.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            let text = cells.get(j).map(cell_text).unwrap_or_default();
            fields.insert(name.clone(), Value::String(text));
        }
        if cells.len() > header.len()
            && cells[header.len()..]
                .iter()
                .any(|c| !matches!(c, Data::Empty))
        {
            let text = cells.iter().map(cell_text).collect::<Vec<_>>().join(",");
            rows.push(Row::Reject(RawReject {
                record_id: cells.first().map(cell_text).filter(|s| !s.is_empty()),
                location,
                text,
                bytes_hex: None,
                reason: format!(
                    "wrong column count: expected {} columns, found {}",
                    header.len(),
                    cells.len()
                ),
            }));
            continue;
        }
        rows.push(Row::Record(RawRecord {
            fields,
            text: None,
            location,
        }));
    }
    Ok(rows)
}

/// A cell as the text a CSV export of it would hold. Date cells use ISO forms, which every
/// feed's `[time]` list can name.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => dt.to_string(),
        },
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectors::config::TextEncoding;

    fn cfg(encoding: TextEncoding) -> FilesConfig {
        FilesConfig {
            dir: None,
            patterns: vec![],
            path: None,
            encoding,
            delimiter: ',',
            sheet: None,
            rows_per_batch: 100,
        }
    }

    fn records(rows: &[Row]) -> Vec<&RawRecord> {
        rows.iter()
            .filter_map(|r| {
                if let Row::Record(r) = r {
                    Some(r)
                } else {
                    None
                }
            })
            .collect()
    }

    #[test]
    fn gb18030_rows_and_a_broken_one() {
        let (good, _, _) = encoding_rs::GB18030.encode("工单编号,诉求内容\nA1,小区噪音扰民\n");
        let mut bytes = good.into_owned();
        bytes.extend_from_slice(b"A2,\x81\x20bad\n");
        bytes.extend_from_slice(
            &encoding_rs::GB18030
                .encode("A3,\"含,逗号\"\nA4,x,多一列\n")
                .0,
        );
        let rows = read_csv("hotline.csv", &bytes, &cfg(TextEncoding::Gb18030)).unwrap();
        assert_eq!(rows.len(), 4);
        let ok = records(&rows);
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].fields["诉求内容"], "小区噪音扰民");
        assert_eq!(ok[1].fields["诉求内容"], "含,逗号");
        let Row::Reject(bad) = &rows[1] else {
            panic!("row 2 must be rejected")
        };
        assert_eq!(bad.record_id.as_deref(), Some("A2"));
        assert!(
            bad.reason.contains("诉求内容") && bad.reason.contains("GB18030"),
            "{}",
            bad.reason
        );
        assert_eq!(bad.bytes_hex.as_deref(), Some("41322c8120626164"));
        let Row::Reject(wide) = &rows[3] else {
            panic!("row 4 must be rejected")
        };
        assert!(wide.reason.contains("expected 2 columns, found 3"));
        assert_eq!(wide.location, "hotline.csv line 5");
    }

    #[test]
    fn crlf_rows_keep_no_line_ends() {
        let mut bytes = encoding_rs::GB18030
            .encode("工单编号,诉求内容\r\nA1,好\r\n")
            .0
            .into_owned();
        bytes.extend_from_slice(b"A2,\x81\x20\r\nA3,x\r\n");
        let rows = read_csv("hotline.csv", &bytes, &cfg(TextEncoding::Gb18030)).unwrap();
        let Row::Reject(bad) = &rows[1] else {
            panic!("row 2 must be rejected")
        };
        assert_eq!(bad.bytes_hex.as_deref(), Some("41322c8120"));
        assert_eq!(bad.location, "hotline.csv line 3");
        assert_eq!(records(&rows).len(), 2);
    }

    #[test]
    fn utf8_bom_is_skipped() {
        let bytes = "\u{feff}xfjbh,djrq\nX1,2026/11/01\n".as_bytes();
        let rows = read_csv("xf.csv", bytes, &cfg(TextEncoding::Utf8)).unwrap();
        let ok = records(&rows);
        assert_eq!(
            ok[0].fields["xfjbh"], "X1",
            "the BOM must not stick to the first header"
        );
    }

    #[test]
    fn xlsx_cells_become_text() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "xfjbh").unwrap();
        sheet.write_string(0, 1, "xfrs").unwrap();
        sheet.write_string(0, 2, "djrq").unwrap();
        sheet.write_string(1, 0, "X1").unwrap();
        sheet.write_number(1, 1, 5.0).unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 11, 1).unwrap();
        let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy/mm/dd");
        sheet.write_datetime_with_format(1, 2, &date, &fmt).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let rows = read_xlsx("xf_20261101.xlsx", &bytes, &cfg(TextEncoding::Utf8)).unwrap();
        let ok = records(&rows);
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].fields["xfrs"], "5");
        assert_eq!(ok[0].fields["djrq"], "2026-11-01");
        assert_eq!(ok[0].location, "xf_20261101.xlsx row 2");
    }

    #[test]
    fn xlsx_cell_past_the_last_column_rejects_its_row() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "xfjbh").unwrap();
        sheet.write_string(0, 1, "bjrq").unwrap();
        sheet.write_string(1, 0, "X1").unwrap();
        // An empty last field, then a remark where no column is.
        sheet.write_string(2, 0, "X2").unwrap();
        sheet.write_string(2, 2, "备注").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let rows = read_xlsx("xf_20261101.xlsx", &bytes, &cfg(TextEncoding::Utf8)).unwrap();
        assert_eq!(records(&rows).len(), 1);
        let Row::Reject(r) = &rows[1] else {
            panic!("the wide row is kept: {:?}", rows[1]);
        };
        assert_eq!(r.record_id.as_deref(), Some("X2"));
        assert!(
            r.reason.contains("expected 2 columns, found 3"),
            "{}",
            r.reason
        );
    }
}
