//! A folder where a system drops export files (信访 `xf_20261101.csv` / `.xlsx`). Files are
//! read in name order; a file re-exported with corrections has a new hash and is read again.

use std::path::PathBuf;

use futures_util::future::BoxFuture;

use super::config::TransportConfig;
use super::file_set::FileSet;
use super::{Batch, Checkpoint, Connector, ConnectorError, wildcard};

pub struct FileDrop {
    dir: PathBuf,
    patterns: Vec<String>,
    files: FileSet,
}

impl FileDrop {
    pub fn new(config: &TransportConfig) -> Result<Self, ConnectorError> {
        let files = config
            .files
            .clone()
            .ok_or_else(|| ConnectorError::Permanent("missing [files]".into()))?;
        let dir = files
            .dir
            .clone()
            .ok_or_else(|| ConnectorError::Permanent("missing files.dir".into()))?;
        Ok(FileDrop {
            dir,
            patterns: files.patterns.clone(),
            files: FileSet::new(files),
        })
    }

    fn list(&self) -> Result<Vec<(String, PathBuf)>, ConnectorError> {
        let entries = std::fs::read_dir(&self.dir).map_err(|e| {
            ConnectorError::Permanent(format!(
                "cannot read folder {}: {e} (check files.dir)",
                self.dir.display()
            ))
        })?;
        let mut files: Vec<(String, PathBuf)> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                self.patterns
                    .iter()
                    .any(|p| wildcard::matches(p, &name))
                    .then(|| (name, e.path()))
            })
            .collect();
        files.sort();
        Ok(files)
    }
}

impl Connector for FileDrop {
    fn next_batch<'a>(
        &'a mut self,
        checkpoint: &'a Checkpoint,
    ) -> BoxFuture<'a, Result<Batch, ConnectorError>> {
        Box::pin(async move {
            let files = self.list()?;
            // Reading one file is brief blocking work; a poll of a folder is not worth a thread hop.
            self.files.next_batch(&files, checkpoint)
        })
    }
}
