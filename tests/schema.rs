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

/// GraphiQL's docs are what an analyst reads: every type, field, argument and enum value
/// of the hub's own schema says what it is in Chinese and in English.
#[test]
fn every_type_and_field_is_described_in_chinese_and_english() {
    use async_graphql::parser::parse_schema;
    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};

    fn bilingual(d: Option<&str>) -> bool {
        d.is_some_and(|d| {
            d.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                && d.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 3
        })
    }
    // Scalars and the roots come from async-graphql or speak through their fields.
    let exempt = [
        "DateTime",
        "NaiveDate",
        "JSON",
        "Query",
        "Subscription",
        "PageInfo",
    ];
    let doc = parse_schema(hub::graphql::sdl()).expect("the SDL parses");
    let mut missing = Vec::new();
    for def in doc.definitions {
        let TypeSystemDefinition::Type(t) = def else {
            continue;
        };
        let t = t.node;
        let name = t.name.node.to_string();
        // Connections and edges are async-graphql's Relay types.
        if exempt.contains(&name.as_str()) || name.ends_with("Edge") || name.ends_with("Connection")
        {
            continue;
        }
        let desc =
            |d: &Option<async_graphql::Positioned<String>>| d.as_ref().map(|d| d.node.clone());
        if !bilingual(desc(&t.description).as_deref()) {
            missing.push(name.clone());
        }
        match t.kind {
            TypeKind::Object(o) => {
                for f in o.fields {
                    let f = f.node;
                    if !bilingual(desc(&f.description).as_deref()) {
                        missing.push(format!("{name}.{}", f.name.node));
                    }
                }
            }
            TypeKind::InputObject(o) => {
                for f in o.fields {
                    if !bilingual(desc(&f.node.description).as_deref()) {
                        missing.push(format!("{name}.{}", f.node.name.node));
                    }
                }
            }
            TypeKind::Enum(e) => {
                for v in e.values {
                    if !bilingual(desc(&v.node.description).as_deref()) {
                        missing.push(format!("{name}.{}", v.node.value.node));
                    }
                }
            }
            _ => {}
        }
    }
    assert!(
        missing.is_empty(),
        "{} without a Chinese-English description: {missing:#?}",
        missing.len()
    );
}
