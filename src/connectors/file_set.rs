//! Reading a set of files row batch by row batch, re-reading any file whose content changed.
//! Shared by the folder connector (many daily files) and the single-export connector.
//!
//! Checkpoint: `{"done": {name: hash}, "current": {"file", "hash", "row"}}`. A file counts as
//! read only when its last row is committed; a file rewritten mid-read starts over, which is
//! safe because a re-sent row that did not change is recognised as unchanged.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::config::FilesConfig;
use super::tabular::{read_rows, Row};
use super::{Batch, Checkpoint, ConnectorError, RawReject};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct State {
    #[serde(default)]
    done: BTreeMap<String, String>,
    #[serde(default)]
    current: Option<Current>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Current {
    file: String,
    hash: String,
    row: usize,
}

pub struct FileSet {
    config: FilesConfig,
    /// Hashes by (name, size, mtime), so an unchanged folder is not re-hashed on every poll.
    hashes: HashMap<String, (u64, SystemTime, String)>,
    /// The parsed rows of the file being read.
    open: Option<(String, String, Arc<Vec<Row>>)>,
}

impl FileSet {
    pub fn new(config: FilesConfig) -> Self {
        FileSet {
            config,
            hashes: HashMap::new(),
            open: None,
        }
    }

    /// `files`: candidate (display name, path) pairs in reading order.
    pub fn next_batch(&mut self, files: &[(String, PathBuf)], checkpoint: &Checkpoint) -> Result<Batch, ConnectorError> {
        let mut state: State = if checkpoint.is_null() {
            State::default()
        } else {
            serde_json::from_value(checkpoint.clone())
                .map_err(|e| ConnectorError::Permanent(format!("stored checkpoint is not a file checkpoint: {e}")))?
        };
        let mut pending = 0i64;
        if state.current.is_none() {
            for (name, path) in files {
                let Some(hash) = self.hash(path)? else { continue };
                if state.done.get(name) != Some(&hash) {
                    if state.current.is_none() {
                        state.current = Some(Current { file: name.clone(), hash, row: 0 });
                    } else {
                        pending += 1;
                    }
                }
            }
        }
        let Some(mut current) = state.current.take() else {
            return Ok(Batch {
                records: vec![],
                rejects: vec![],
                checkpoint: serde_json::to_value(&state).expect("state serialises"),
                source_behind: Some(0),
                done: true,
            });
        };
        let path = files
            .iter()
            .find(|(n, _)| *n == current.file)
            .map(|(_, p)| p.clone())
            .ok_or_else(|| ConnectorError::Exhausted(format!("file {} disappeared while being read", current.file)))?;
        let file = current.file.clone();
        let rows = self.rows(&file, &path, &mut current)?;
        let end = (current.row + self.config.rows_per_batch.max(1)).min(rows.len());
        let mut records = Vec::new();
        let mut rejects = Vec::new();
        for row in &rows[current.row.min(end)..end] {
            match row {
                Row::Record(r) => records.push(r.clone()),
                Row::Reject(r) => rejects.push(r.clone()),
            }
        }
        if end >= rows.len() {
            state.done.insert(current.file.clone(), current.hash.clone());
            self.open = None;
        } else {
            current.row = end;
            state.current = Some(current);
        }
        Ok(Batch {
            records,
            rejects,
            checkpoint: serde_json::to_value(&state).expect("state serialises"),
            source_behind: Some(pending + (rows.len() - end) as i64),
            done: false,
        })
    }

    fn rows(&mut self, name: &str, path: &Path, current: &mut Current) -> Result<Arc<Vec<Row>>, ConnectorError> {
        if let Some((n, h, rows)) = &self.open
            && n == name
            && *h == current.hash
        {
            return Ok(rows.clone());
        }
        let bytes = std::fs::read(path).map_err(|e| ConnectorError::Exhausted(format!("reading {}: {e}", path.display())))?;
        let hash = content_hash(&bytes);
        if hash != current.hash {
            // Rewritten since the checkpoint was taken: read the new content from its start.
            tracing::info!(file = name, "file changed while being read; reading it again from the start");
            current.hash = hash;
            current.row = 0;
        }
        let rows = match read_rows(name, &bytes, &self.config) {
            Ok(rows) => rows,
            Err(e) => vec![Row::Reject(RawReject {
                record_id: None,
                location: name.to_string(),
                text: format!("({} bytes)", bytes.len()),
                bytes_hex: None,
                reason: e.to_string(),
            })],
        };
        let rows = Arc::new(rows);
        self.open = Some((name.to_string(), current.hash.clone(), rows.clone()));
        Ok(rows)
    }

    fn hash(&mut self, path: &Path) -> Result<Option<String>, ConnectorError> {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(ConnectorError::Exhausted(format!("{}: {e}", path.display()))),
        };
        let key = path.display().to_string();
        let stamp = (meta.len(), meta.modified().unwrap_or(SystemTime::UNIX_EPOCH));
        if let Some((len, modified, hash)) = self.hashes.get(&key)
            && (*len, *modified) == stamp
        {
            return Ok(Some(hash.clone()));
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(ConnectorError::Exhausted(format!("{}: {e}", path.display()))),
        };
        let hash = content_hash(&bytes);
        self.hashes.insert(key, (stamp.0, stamp.1, hash.clone()));
        Ok(Some(hash))
    }
}

pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}
