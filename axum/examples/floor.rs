//! The HTTP floor of the gateway benchmark: axum on the same runtime and listener as
//! `tim-callback serve`, reading each body and answering a constant allow without parsing,
//! checking or logging. `scripts/bench_gateway.py` runs it beside the gateway.
//!
//! `cargo run --release -p tim-callback-axum --example floor -- 127.0.0.1:0`

use axum::body::Bytes;
use axum::http::header;

const ALLOW: &str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;

async fn constant(body: Bytes) -> ([(header::HeaderName, &'static str); 1], &'static str) {
    std::hint::black_box(body);
    ([(header::CONTENT_TYPE, "application/json")], ALLOW)
}

fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        eprintln!("floor listening on http://{}", listener.local_addr()?);
        axum::serve(listener, axum::Router::new().fallback(constant)).await
    })
}
