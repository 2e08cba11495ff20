//! Plain rows resolved in one pass: an aggregate's thousand groups, the
//! events of a page. async-graphql resolves every field of every item as a
//! future of its own and joins them; for rows of numbers and strings
//! already in hand that machinery costs several times what the values do.
//! A selection of plain fields only (no fragments, arguments or directives,
//! each key once) is read straight off the rows; any other goes the general
//! way, so answers are the same either way (`tests/graphql_entities.rs`
//! compares them).

use std::borrow::Cow;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, Selection, SelectionSet};
use async_graphql::{
    ContextSelectionSet, Name, OutputType, Positioned, ServerResult, Value, registry,
};

/// A list type with the schema of `Vec<T>`, resolved in one pass when it can be.
pub struct PlainList<T>(pub Vec<T>);

/// A row whose plain fields can be read without awaiting anything.
pub trait PlainRow {
    /// The GraphQL type name, for `__typename`.
    const TYPE_NAME: &'static str;

    /// The value of field `name` with `sub` its planned selection (for a
    /// field of objects); None when the field is not plain.
    fn plain(&self, name: &str, sub: Option<&Plan>) -> Option<Value>;
}

/// A selection set of plain fields: each response key with its field's
/// name and, for a field of objects, its own selection.
pub struct Plan {
    fields: Vec<(Name, String, Option<Plan>)>,
}

impl Plan {
    /// None when the selection needs the general path.
    fn of(set: &SelectionSet) -> Option<Plan> {
        let mut fields: Vec<(Name, String, Option<Plan>)> = Vec::with_capacity(set.items.len());
        for selection in &set.items {
            let Selection::Field(field) = &selection.node else {
                return None;
            };
            let field = &field.node;
            // async-graphql has already taken out @skip and @include.
            if !field.arguments.is_empty() || !field.directives.is_empty() {
                return None;
            }
            let key = field.response_key().node.clone();
            // The same key twice merges two selections: left to async-graphql.
            if fields.iter().any(|(k, _, _)| *k == key) {
                return None;
            }
            let items = &field.selection_set.node;
            let sub = if items.items.is_empty() {
                None
            } else {
                Some(Plan::of(items)?)
            };
            fields.push((key, field.name.node.to_string(), sub));
        }
        Some(Plan { fields })
    }

    /// The object `row` resolves to under this selection.
    pub fn apply<T: PlainRow>(&self, row: &T) -> Option<Value> {
        let mut object = IndexMap::with_capacity(self.fields.len());
        for (key, name, sub) in &self.fields {
            let value = if name == "__typename" {
                Value::String(T::TYPE_NAME.to_string())
            } else {
                row.plain(name, sub.as_ref())?
            };
            object.insert(key.clone(), value);
        }
        Some(Value::Object(object))
    }

    /// The list `rows` resolves to under this selection.
    pub fn apply_all<T: PlainRow>(&self, rows: &[T]) -> Option<Value> {
        rows.iter()
            .map(|r| self.apply(r))
            .collect::<Option<Vec<_>>>()
            .map(Value::List)
    }
}

impl<T: OutputType + PlainRow> OutputType for PlainList<T> {
    fn type_name() -> Cow<'static, str> {
        <Vec<T> as OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<T> as OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut registry::Registry) -> String {
        <Vec<T> as OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        if let Some(list) = Plan::of(&ctx.item.node).and_then(|plan| plan.apply_all(&self.0)) {
            return Ok(list);
        }
        <Vec<T> as OutputType>::resolve(&self.0, ctx, field).await
    }
}

/// An object with the schema of `T`, resolved in one pass when it can be
/// (an event on a page: its edge and connection stay async-graphql's).
pub struct PlainObject<T>(pub T);

impl<T: OutputType + PlainRow> OutputType for PlainObject<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn create_type_info(registry: &mut registry::Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        if let Some(object) = Plan::of(&ctx.item.node).and_then(|plan| plan.apply(&self.0)) {
            return Ok(object);
        }
        self.0.resolve(ctx, field).await
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;
    use async_graphql::parser::types::DocumentOperations;

    use super::*;

    /// The plan of the selection under the query's first field.
    fn plan(query: &str) -> Option<Plan> {
        let doc = parse_query(query).unwrap();
        let DocumentOperations::Single(op) = &doc.operations else {
            panic!("one operation")
        };
        let Selection::Field(top) = &op.node.selection_set.node.items[0].node else {
            panic!("a field")
        };
        Plan::of(&top.node.selection_set.node)
    }

    struct Row(i64, Vec<Row>);

    impl PlainRow for Row {
        const TYPE_NAME: &'static str = "Row";

        fn plain(&self, name: &str, sub: Option<&Plan>) -> Option<Value> {
            match name {
                "n" => Some(self.0.into()),
                "rows" => sub?.apply_all(&self.1),
                _ => None,
            }
        }
    }

    #[test]
    fn plain_fields_are_read_off_the_rows_under_their_response_keys() {
        let p = plan("{ list { n m: n __typename rows { n } } }").expect("plain");
        let v = p
            .apply(&Row(7, vec![Row(1, vec![]), Row(2, vec![])]))
            .unwrap();
        assert_eq!(
            v.into_json().unwrap(),
            serde_json::json!({"n": 7, "m": 7, "__typename": "Row", "rows": [{"n": 1}, {"n": 2}]})
        );
        // A field the row does not read plainly sends the list the general way.
        let p = plan("{ list { n other } }").expect("plain selection");
        assert!(p.apply(&Row(1, vec![])).is_none());
    }

    #[test]
    fn fragments_arguments_directives_and_repeated_keys_go_the_general_way() {
        assert!(plan("{ list { ... on Row { n } } }").is_none());
        assert!(plan("query { list { ...f } } fragment f on Row { n }").is_none());
        assert!(plan("{ list { rows(first: 1) { n } } }").is_none());
        assert!(plan("{ list { n @deprecated } }").is_none());
        assert!(plan("{ list { n n } }").is_none());
        assert!(plan("{ list { rows { ... on Row { n } } } }").is_none());
    }
}
