//! Errors with a machine-readable `code` extension, so clients can tell a bad argument from a
//! server fault without parsing messages.

use async_graphql::{Error, ErrorExtensions};

#[derive(Debug, Clone, Copy)]
pub enum ErrorCode {
    BadId,
    BadCursor,
    BadArgument,
    Internal,
    /// The document does not parse.
    ParseError,
    /// The document does not validate against the schema.
    InvalidQuery,
    QueryTooDeep,
    QueryTooComplex,
}

impl ErrorCode {
    fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadId => "BAD_ID",
            ErrorCode::BadCursor => "BAD_CURSOR",
            ErrorCode::BadArgument => "BAD_ARGUMENT",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::ParseError => "PARSE_ERROR",
            ErrorCode::InvalidQuery => "INVALID_QUERY",
            ErrorCode::QueryTooDeep => "QUERY_TOO_DEEP",
            ErrorCode::QueryTooComplex => "QUERY_TOO_COMPLEX",
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

/// Gives an error the server refused a request with (before running it) a
/// code, and the limits a clear message; errors that have a code keep it.
pub fn code_refusal(e: &mut async_graphql::ServerError, parse: bool) {
    if e.extensions
        .as_ref()
        .is_some_and(|x| x.get("code").is_some())
    {
        return;
    }
    let code = if parse {
        ErrorCode::ParseError
    } else if e.message.contains("nested too deep") {
        e.message = format!(
            "the query nests deeper than {} levels; ask for less at once",
            super::MAX_DEPTH
        );
        ErrorCode::QueryTooDeep
    } else if e.message.contains("too complex") {
        e.message = format!(
            "the query would cost more than {} (each field 1, lists `first` times their items); lower `first` or ask for fewer fields",
            super::MAX_COMPLEXITY
        );
        ErrorCode::QueryTooComplex
    } else {
        ErrorCode::InvalidQuery
    };
    e.extensions
        .get_or_insert_with(Default::default)
        .set("code", code.as_str());
}
