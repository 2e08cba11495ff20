//! Reading division rows (`code,level,name,parent`) from CSV text, and the
//! errors of doing so. Rows are checked one by one here; links between rows
//! (parents, duplicates) are checked when the gazetteer is built.

use super::AddressLevel;

/// What went wrong building a gazetteer. `file` is `national` or `local`;
/// lines are 1-based lines of that CSV text, the header being line 1.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{file} divisions, line {line}: unreadable CSV: {message}")]
    Csv {
        file: &'static str,
        line: u64,
        message: String,
    },
    #[error("{file} divisions: header must be `code,level,name,parent`, found `{found}`")]
    Header { file: &'static str, found: String },
    #[error("{file} divisions, line {line}: level `{found}` is not one of {expected}")]
    Level {
        file: &'static str,
        line: u64,
        found: String,
        expected: &'static str,
    },
    #[error("{file} divisions, line {line}: the {field} is empty")]
    Empty {
        file: &'static str,
        line: u64,
        field: &'static str,
    },
    #[error("{file} divisions, line {line}: code `{code}` is already used by another row")]
    Duplicate {
        file: &'static str,
        line: u64,
        code: String,
    },
    #[error("{file} divisions, line {line}: parent `{parent}` is not a known code")]
    UnknownParent {
        file: &'static str,
        line: u64,
        parent: String,
    },
    #[error(
        "{file} divisions, line {line}: a {level:?} cannot sit under `{parent}`, a {parent_level:?}; expected a coarser parent"
    )]
    ParentLevel {
        file: &'static str,
        line: u64,
        level: AddressLevel,
        parent: String,
        parent_level: AddressLevel,
    },
    #[error("{file} divisions, line {line}: a {level:?} needs a parent code")]
    NoParent {
        file: &'static str,
        line: u64,
        level: AddressLevel,
    },
    #[error("home city `{code}` is not the code of a city in the gazetteer")]
    HomeCity { code: String },
}

/// One row as read, before its parent is looked up.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub code: String,
    pub level: AddressLevel,
    pub name: String,
    pub parent: Option<String>,
    pub line: u64,
}

pub(crate) const NATIONAL_LEVELS: &str = "province, city, district, street, community";
pub(crate) const LOCAL_LEVELS: &str = "street, community";

/// Reads all rows of one CSV text, accepting only the levels of `expected`
/// (one of the `*_LEVELS` lists).
pub(crate) fn read_rows(
    text: &str,
    file: &'static str,
    expected: &'static str,
) -> Result<Vec<Row>, GazetteerError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| GazetteerError::Csv {
        file,
        line: e.position().map_or(0, |p| p.line()),
        message: e.to_string(),
    };
    let header = reader.headers().map_err(csv_error)?;
    if header.iter().collect::<Vec<_>>() != ["code", "level", "name", "parent"] {
        return Err(GazetteerError::Header {
            file,
            found: header.iter().collect::<Vec<_>>().join(","),
        });
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("").to_string();
        let (code, level, name, parent) = (field(0), field(1), field(2), field(3));
        for (value, field) in [(&code, "code"), (&name, "name")] {
            if value.is_empty() {
                return Err(GazetteerError::Empty { file, line, field });
            }
        }
        let level = parse_level(&level, expected).ok_or_else(|| GazetteerError::Level {
            file,
            line,
            found: level.clone(),
            expected,
        })?;
        let parent = (!parent.is_empty()).then_some(parent);
        if parent.is_none() && level != AddressLevel::Province {
            return Err(GazetteerError::NoParent { file, line, level });
        }
        rows.push(Row {
            code,
            level,
            name,
            parent,
            line,
        });
    }
    Ok(rows)
}

fn parse_level(level: &str, expected: &str) -> Option<AddressLevel> {
    let parsed = match level {
        "province" => AddressLevel::Province,
        "city" => AddressLevel::City,
        "district" => AddressLevel::District,
        "street" => AddressLevel::Street,
        "community" => AddressLevel::Community,
        _ => return None,
    };
    expected.split(", ").any(|e| e == level).then_some(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_with_lines() {
        let rows = read_rows(
            "code,level,name,parent\n41,province,河南省,\n4106,city,鹤壁市,41\n",
            "national",
            NATIONAL_LEVELS,
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[1].parent.as_deref(), Some("41"));
        assert_eq!(rows[0].parent, None);
    }

    #[test]
    fn errors_name_the_line_and_what_was_expected() {
        let err = read_rows(
            "code,level,name,parent\nx1,village,刘庄村,410611101\n",
            "local",
            LOCAL_LEVELS,
        )
        .unwrap_err();
        assert!(
            matches!(err, GazetteerError::Level { line: 2, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("street, community"), "{err}");
        let err = read_rows(
            "code,level,name,parent\n41,province,河南省,\n",
            "local",
            LOCAL_LEVELS,
        )
        .unwrap_err();
        assert!(matches!(err, GazetteerError::Level { .. }));
        let err = read_rows("code,name\n41,河南省\n", "national", NATIONAL_LEVELS).unwrap_err();
        assert!(matches!(err, GazetteerError::Header { .. }), "{err}");
        let err = read_rows(
            "code,level,name,parent\nx,community,,1\n",
            "local",
            LOCAL_LEVELS,
        )
        .unwrap_err();
        assert!(
            matches!(err, GazetteerError::Empty { field: "name", .. }),
            "{err}"
        );
        let err = read_rows(
            "code,level,name,parent\nx,community,刘庄村,\n",
            "local",
            LOCAL_LEVELS,
        )
        .unwrap_err();
        assert!(matches!(err, GazetteerError::NoParent { .. }), "{err}");
    }
}
