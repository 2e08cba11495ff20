//! The HTTP server: GraphQL at `/graphql` (GraphQL-over-HTTP, see `http_graphql`), GraphiQL
//! at `/`, a health probe at `/healthz`.
//! Used by `hub serve`, `hub demo` and the tests alike (bind to port 0 in tests).

use std::net::SocketAddr;

use async_graphql::http::GraphiQLSource;
use axum::Router;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use tokio::net::TcpListener;

use crate::graphql::{ApiContext, build_schema};
use crate::http_graphql;

pub struct Application {
    listener: TcpListener,
    router: Router,
}

impl Application {
    /// Binds the listener now, so the caller knows the port before serving.
    pub async fn build(ctx: ApiContext, listen: SocketAddr) -> std::io::Result<Application> {
        let schema = build_schema(Some(ctx));
        let router = Router::new()
            .route("/", get(graphiql))
            .route("/graphql", http_graphql::routes(schema))
            .route("/healthz", get(|| async { "ok" }))
            .layer(tower_http::trace::TraceLayer::new_for_http());
        let listener = TcpListener::bind(listen).await?;
        Ok(Application { listener, router })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `shutdown` completes.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
    }
}

async fn graphiql() -> impl IntoResponse {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("综治数据中台 GraphQL")
            .finish(),
    )
}
