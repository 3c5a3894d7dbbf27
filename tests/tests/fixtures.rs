//! Behaviour of each construct fixture's generated types: wire names, optionality, open enums,
//! unions with unknown tags, maps, dates, recursion, collisions and std-like names.

use plexy_tests::*;
use serde_json::{Value, json};

/// Decodes `value` as `T`, encodes it again, and returns both the typed value and the JSON.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> (T, Value) {
    let typed: T = serde_json::from_value(value).expect("decodes");
    let back = serde_json::to_value(&typed).expect("encodes");
    (typed, back)
}

#[test]
fn keyword_and_non_identifier_names_keep_their_wire_names() {
    let wire = json!({
        "type": "t", "self": "s", "async": true, "crate": 7, "threeds2.fingerprint": "fp",
        "MD": "md", "3ds": "x", "foo-bar": "dash", "foo_bar": "underscore"
    });
    let (typed, back) = round_trip::<keywords::Awkward>(wire.clone());
    assert_eq!(back, wire);
    assert_eq!(typed.r#type, "t");
    assert_eq!(typed.self_.as_deref(), Some("s"));
    assert_eq!(typed.crate_, Some(7));
    assert_eq!(typed.threeds2_fingerprint.as_deref(), Some("fp"));
    assert_eq!(typed.foo_bar.as_deref(), Some("dash"));
    assert_eq!(typed.foo_bar_2.as_deref(), Some("underscore"));
    let built = keywords::Awkward::new("t").with_self("s").with_async(true).with_foo_bar_2("underscore");
    assert_eq!(
        serde_json::to_value(built).unwrap(),
        json!({"type": "t", "self": "s", "async": true, "foo_bar": "underscore"})
    );
}

#[test]
fn optional_fields_are_omitted_and_nullable_ones_accept_null() {
    let minimal = nullable::Presence::new("here", None);
    assert_eq!(serde_json::to_value(&minimal).unwrap(), json!({"required_plain": "here", "required_nullable": null}));
    let (typed, _) = round_trip::<nullable::Presence>(json!({
        "required_plain": "a", "required_nullable": "b", "optional_plain": 5, "optional_nullable": null
    }));
    assert_eq!(typed.required_nullable.as_deref(), Some("b"));
    assert_eq!(typed.optional_plain, Some(5));
    assert_eq!(typed.optional_nullable, None);
    let missing = serde_json::from_value::<nullable::Presence>(json!({"required_nullable": null}));
    assert!(missing.unwrap_err().to_string().contains("required_plain"));
}

#[test]
fn open_enums_keep_unknown_values_and_write_them_back() {
    use open_enum::Status;
    let (known, back) = round_trip::<Status>(json!("payment.failed"));
    assert_eq!(known, Status::PaymentFailed);
    assert_eq!(back, json!("payment.failed"));
    let (unknown, back) = round_trip::<Status>(json!("Chargeback"));
    assert_eq!(unknown, Status::Unknown("Chargeback".into()));
    assert_eq!(back, json!("Chargeback"));
    // A listed value spelled like the catch-all is still a listed value.
    assert_eq!(round_trip::<Status>(json!("Unknown")).0, Status::Unknown2);
    assert_eq!(round_trip::<Status>(json!("01")).0, Status::Value01);
    assert_eq!(Status::AB2.as_str(), "A_B");
    assert_eq!(Status::from("a-b"), Status::AB);
    assert_eq!(Status::Value01.to_string(), "01");
}

#[test]
fn unions_dispatch_on_the_tag_and_keep_unknown_tags_raw() {
    use union::{Circle, Shape, Square};
    let (circle, back) = round_trip::<Shape>(json!({"kind": "circle", "radius": 1.5}));
    assert_eq!(circle, Shape::Circle(Circle::new(1.5)));
    assert_eq!(back, json!({"kind": "circle", "radius": 1.5}));
    // Square has no mapping entry: its tag is the schema's name.
    let (square, back) = round_trip::<Shape>(json!({"kind": "Square", "side": 2}));
    assert_eq!(square, Shape::Square(Square::new(2)));
    assert_eq!(square.tag(), Some("Square"));
    assert_eq!(back, json!({"kind": "Square", "side": 2}));
    let triangle = json!({"kind": "triangle", "sides": [3, 4, 5], "extra": {"deep": true}});
    let (unknown, back) = round_trip::<Shape>(triangle.clone());
    assert_eq!(unknown.tag(), Some("triangle"));
    assert!(matches!(unknown, Shape::Unknown(_)));
    assert_eq!(back, triangle);
    let wrong_body = serde_json::from_value::<Shape>(json!({"kind": "circle", "radius": "big"}));
    assert!(wrong_body.is_err());
    assert!(serde_json::from_value::<Shape>(json!("circle")).is_err());
}

#[test]
fn maps_and_extra_properties_are_kept() {
    let wire = json!({
        "labels": {"a": "b"}, "counts": {"x": 1}, "anything": {"n": [1, {"m": null}]},
        "nested": {"k": {"note": "hi"}}
    });
    let (holder, back) = round_trip::<maps::Holder>(wire.clone());
    assert_eq!(back, wire);
    assert_eq!(holder.counts.unwrap()["x"], 1);
    let (ext, back) = round_trip::<maps::Extensible>(json!({"id": "1", "colour": "red"}));
    assert_eq!(ext.additional_properties["colour"], "red");
    assert_eq!(back, json!({"id": "1", "colour": "red"}));
}

#[test]
fn dates_keep_their_offset() {
    let wire = json!({
        "created": "2026-11-24T20:15:00+05:00", "birthday": "1990-02-28",
        "reminders": ["2026-12-01T09:00:00-03:30"]
    });
    let (booking, back) = round_trip::<dates::Booking>(wire.clone());
    assert_eq!(back, wire);
    assert_eq!(booking.created.offset().local_minus_utc(), 5 * 3600);
    assert!(serde_json::from_value::<dates::Booking>(json!({"created": "yesterday"})).is_err());
}

#[test]
fn recursive_schemas_nest() {
    let wire = json!({"name": "root", "parent": {"name": "up"}, "children": [{"name": "a", "children": []}]});
    let (tree, back) = round_trip::<recursive::TreeNode>(wire.clone());
    assert_eq!(back, wire);
    assert_eq!(tree.parent.unwrap().name, "up");
    let (ping, _) = round_trip::<recursive::Ping>(json!({"pong": {"ping": {"pong": {}}}}));
    assert!(ping.pong.unwrap().ping.unwrap().pong.is_some());
}

#[test]
fn colliding_names_get_distinct_types() {
    let user: collisions::User = serde_json::from_value(json!({"foo": {"b": "x"}})).unwrap();
    assert_eq!(user.foo.unwrap().b.as_deref(), Some("x"));
    let dashed: collisions::FooBar2 = serde_json::from_value(json!({"c": "y"})).unwrap();
    assert_eq!(dashed.c.as_deref(), Some("y"));
}

#[test]
fn std_like_names_do_not_shadow_std() {
    let result = std_names::Result::new(true).with_value(std_names::Option::Some);
    assert_eq!(serde_json::to_value(&result).unwrap(), json!({"ok": true, "value": "some"}));
    let boxed: std_names::Box = serde_json::from_value(json!({"items": [{"result": {"ok": false}}]})).unwrap();
    assert_eq!(boxed.items.unwrap().len(), 1);
}
