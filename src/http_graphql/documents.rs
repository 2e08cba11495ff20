//! Parsed GraphQL documents by their text. Dashboards and clients send the
//! same few documents again and again with other variables; parsing one
//! costs more than copying its tree.

use std::collections::HashMap;
use std::sync::Mutex;

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::parser::{Error, parse_query};

/// Distinct documents kept. When full, the cache starts again empty: the
/// documents in use come back within a request each.
const KEPT: usize = 512;

/// Longer documents are parsed every time rather than kept.
const LONGEST_KEPT: usize = 16 * 1024;

#[derive(Default)]
pub struct Documents {
    parsed: Mutex<HashMap<String, ExecutableDocument>>,
}

impl Documents {
    /// The document `query` parses to; failures are not kept.
    pub fn parse(&self, query: &str) -> Result<ExecutableDocument, Error> {
        if let Some(d) = self.parsed.lock().expect("documents").get(query) {
            return Ok(d.clone());
        }
        let document = parse_query(query)?;
        if query.len() <= LONGEST_KEPT {
            let mut parsed = self.parsed.lock().expect("documents");
            if parsed.len() >= KEPT {
                parsed.clear();
            }
            parsed.insert(query.to_string(), document.clone());
        }
        Ok(document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_parses_the_same_from_the_cache() {
        let docs = Documents::default();
        let q = "query($id: ID!) { person(id: $id) { name } }";
        let first = docs.parse(q).unwrap();
        let again = docs.parse(q).unwrap();
        assert_eq!(format!("{first:?}"), format!("{again:?}"));
        assert_eq!(docs.parsed.lock().unwrap().len(), 1);
        assert!(docs.parse("{ person(id: ").is_err());
        assert_eq!(
            docs.parsed.lock().unwrap().len(),
            1,
            "failures are not kept"
        );
    }

    #[test]
    fn a_full_cache_starts_again() {
        let docs = Documents::default();
        for i in 0..KEPT + 3 {
            docs.parse(&format!("{{ f{i} }}")).unwrap();
        }
        assert_eq!(docs.parsed.lock().unwrap().len(), 3);
    }
}
