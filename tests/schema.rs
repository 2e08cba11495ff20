//! schema.graphql is the API contract: it must equal what the code generates.
//! After an intended API change: `cargo run -- schema > schema.graphql` and review the diff.

#[test]
fn committed_schema_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    let committed =
        std::fs::read_to_string(&path).expect("schema.graphql exists at the top of the repo");
    let generated = hub::graphql::sdl();
    if committed != generated {
        let first = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        panic!(
            "schema.graphql differs from the code from line {}: regenerate it with `cargo run -- schema > schema.graphql`\n committed: {:?}\n generated: {:?}",
            first + 1,
            committed.lines().nth(first),
            generated.lines().nth(first)
        );
    }
}
