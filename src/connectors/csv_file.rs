//! One export file at a fixed path (the 12345 CSV export), re-read when its content changes.

use std::path::PathBuf;

use futures_util::future::BoxFuture;

use super::config::TransportConfig;
use super::file_set::FileSet;
use super::{Batch, Checkpoint, Connector, ConnectorError};

pub struct CsvFile {
    path: PathBuf,
    files: FileSet,
}

impl CsvFile {
    pub fn new(config: &TransportConfig) -> Result<Self, ConnectorError> {
        let files = config
            .files
            .clone()
            .ok_or_else(|| ConnectorError::Permanent("missing [files]".into()))?;
        let path = files
            .path
            .clone()
            .ok_or_else(|| ConnectorError::Permanent("missing files.path".into()))?;
        Ok(CsvFile {
            path,
            files: FileSet::new(files),
        })
    }
}

impl Connector for CsvFile {
    fn next_batch<'a>(
        &'a mut self,
        checkpoint: &'a Checkpoint,
    ) -> BoxFuture<'a, Result<Batch, ConnectorError>> {
        Box::pin(async move {
            if !self.path.exists() {
                return Err(ConnectorError::Permanent(format!(
                    "export file {} does not exist (check files.path)",
                    self.path.display()
                )));
            }
            let name = self
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let files = [(name, self.path.clone())];
            self.files.next_batch(&files, checkpoint)
        })
    }
}
