//! Reading a set of files row batch by row batch, re-reading any file whose content changed.
//! Shared by the folder connector (many daily files) and the single-export connector.
//!
//! Checkpoint: `{"done": {name: hash}, "current": {"file", "hash", "row", "byte", "line"}}`.
//! A file counts as read only when its last row is committed; a file rewritten mid-read starts
//! over, which is safe because a re-sent row that did not change is recognised as unchanged.
//! CSV files are parsed chunk by chunk from the committed byte offset, so memory stays flat
//! whatever the export's size; workbooks are parsed whole (calamine reads a sheet at once).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::config::FilesConfig;
use super::tabular::{CsvLayout, Row, is_workbook, read_xlsx};
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
    /// Workbooks: rows already delivered.
    #[serde(default)]
    row: usize,
    /// CSV: byte offset of the next row (0 = not started) and its line number.
    #[serde(default)]
    byte: usize,
    #[serde(default)]
    line: u64,
}

/// The file being read.
enum OpenFile {
    Csv {
        bytes: Arc<Vec<u8>>,
        layout: CsvLayout,
    },
    Rows(Arc<Vec<Row>>),
}

pub struct FileSet {
    config: FilesConfig,
    /// Hashes by (name, size, mtime), so an unchanged folder is not re-hashed on every poll.
    hashes: HashMap<String, (u64, SystemTime, String)>,
    /// (name, hash, content) of the file being read.
    open: Option<(String, String, OpenFile)>,
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
    pub fn next_batch(
        &mut self,
        files: &[(String, PathBuf)],
        checkpoint: &Checkpoint,
    ) -> Result<Batch, ConnectorError> {
        let mut state: State = if checkpoint.is_null() {
            State::default()
        } else {
            serde_json::from_value(checkpoint.clone()).map_err(|e| {
                ConnectorError::Permanent(format!(
                    "stored checkpoint is not a file checkpoint: {e}"
                ))
            })?
        };
        let mut pending = 0i64;
        if state.current.is_none() {
            for (name, path) in files {
                let Some(hash) = self.hash(path)? else {
                    continue;
                };
                if state.done.get(name) != Some(&hash) {
                    if state.current.is_none() {
                        state.current = Some(Current {
                            file: name.clone(),
                            hash,
                            row: 0,
                            byte: 0,
                            line: 0,
                        });
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
            .ok_or_else(|| {
                ConnectorError::Exhausted(format!(
                    "file {} disappeared while being read",
                    current.file
                ))
            })?;
        let file = current.file.clone();
        self.open(&file, &path, &mut current)?;
        let max = self.config.rows_per_batch.max(1);
        let (rows, finished, remaining) = match &self.open.as_ref().expect("opened above").2 {
            OpenFile::Rows(all) => {
                let end = (current.row + max).min(all.len());
                let rows = all[current.row.min(end)..end].to_vec();
                current.row = end;
                (rows, end >= all.len(), (all.len() - end) as i64)
            }
            OpenFile::Csv { bytes, layout } => {
                if current.byte == 0 {
                    current.byte = layout.data_start;
                    current.line = layout.data_line;
                }
                let chunk = layout.rows(&file, bytes, current.byte, current.line, max);
                current.byte = chunk.next_byte;
                current.line = chunk.next_line;
                // The row count ahead is not known without reading on; the byte share is.
                let left = bytes.len().saturating_sub(chunk.next_byte) as i64;
                (chunk.rows, chunk.at_end, if left > 0 { 1 } else { 0 })
            }
        };
        let mut records = Vec::new();
        let mut rejects = Vec::new();
        for row in rows {
            match row {
                Row::Record(r) => records.push(r),
                Row::Reject(r) => rejects.push(r),
            }
        }
        if finished {
            state
                .done
                .insert(current.file.clone(), current.hash.clone());
            self.open = None;
        } else {
            state.current = Some(current);
        }
        Ok(Batch {
            records,
            rejects,
            checkpoint: serde_json::to_value(&state).expect("state serialises"),
            source_behind: Some(pending + remaining),
            done: false,
        })
    }

    /// Makes `self.open` hold the current file, reading it if needed.
    fn open(
        &mut self,
        name: &str,
        path: &Path,
        current: &mut Current,
    ) -> Result<(), ConnectorError> {
        if let Some((n, h, _)) = &self.open
            && n == name
            && *h == current.hash
        {
            return Ok(());
        }
        let bytes = std::fs::read(path)
            .map_err(|e| ConnectorError::Exhausted(format!("reading {}: {e}", path.display())))?;
        let hash = content_hash(&bytes);
        if hash != current.hash {
            // Rewritten since the checkpoint was taken: read the new content from its start.
            tracing::info!(
                file = name,
                "file changed while being read; reading it again from the start"
            );
            current.hash = hash;
            current.row = 0;
            current.byte = 0;
            current.line = 0;
        }
        let unreadable = |e: super::tabular::TableError| {
            OpenFile::Rows(Arc::new(vec![Row::Reject(RawReject {
                record_id: None,
                location: name.to_string(),
                text: format!("({} bytes)", bytes.len()),
                bytes_hex: None,
                reason: e.to_string(),
            })]))
        };
        let content = if is_workbook(name) {
            read_xlsx(name, &bytes, &self.config)
                .map(|rows| OpenFile::Rows(Arc::new(rows)))
                .unwrap_or_else(unreadable)
        } else {
            match CsvLayout::read(name, &bytes, &self.config) {
                Ok(layout) => OpenFile::Csv {
                    bytes: Arc::new(bytes),
                    layout,
                },
                Err(e) => unreadable(e),
            }
        };
        self.open = Some((name.to_string(), current.hash.clone(), content));
        Ok(())
    }

    fn hash(&mut self, path: &Path) -> Result<Option<String>, ConnectorError> {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(ConnectorError::Exhausted(format!(
                    "{}: {e}",
                    path.display()
                )));
            }
        };
        let key = path.display().to_string();
        let stamp = (
            meta.len(),
            meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
        );
        if let Some((len, modified, hash)) = self.hashes.get(&key)
            && (*len, *modified) == stamp
        {
            return Ok(Some(hash.clone()));
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(ConnectorError::Exhausted(format!(
                    "{}: {e}",
                    path.display()
                )));
            }
        };
        let hash = content_hash(&bytes);
        self.hashes.insert(key, (stamp.0, stamp.1, hash.clone()));
        Ok(Some(hash))
    }
}

pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}
