//! Errors with a machine-readable `code` extension, so clients can tell a bad argument from a
//! server fault without parsing messages.

use async_graphql::{Error, ErrorExtensions};

#[derive(Debug, Clone, Copy)]
pub enum ErrorCode {
    BadId,
    BadCursor,
    BadArgument,
    Internal,
}

impl ErrorCode {
    fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadId => "BAD_ID",
            ErrorCode::BadCursor => "BAD_CURSOR",
            ErrorCode::BadArgument => "BAD_ARGUMENT",
            ErrorCode::Internal => "INTERNAL",
        }
    }

    pub fn error(self, message: impl Into<String>) -> Error {
        Error::new(message.into()).extend_with(|_, e| e.set("code", self.as_str()))
    }
}

/// Store failures are logged in full and shown to clients without internals.
pub fn internal(e: crate::store::StoreError) -> Error {
    tracing::error!(error = %e, "query failed in the store");
    ErrorCode::Internal.error("the hub could not read its database; the error is in the server log")
}
