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
    // Optional and nullable: `null` and absent are told apart, and each is written back as read.
    assert_eq!(typed.optional_nullable, plexy_tests::values::Nullable::Null);
    let (absent, back) = round_trip::<nullable::Presence>(json!({"required_plain": "a", "required_nullable": null}));
    assert!(absent.optional_nullable.is_absent());
    assert_eq!(back, json!({"required_plain": "a", "required_nullable": null}));
    let (null, back) = round_trip::<nullable::Presence>(json!({
        "required_plain": "a", "required_nullable": null, "optional_nullable": null
    }));
    assert!(null.optional_nullable.is_null());
    assert_eq!(back["optional_nullable"], Value::Null);
    let set = nullable::Presence::new("a", None).with_optional_nullable(7);
    assert_eq!(set.optional_nullable.value(), Some(&7));
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
    assert_eq!(square, Shape::Square(Square::new("Square", 2)));
    assert_eq!(square.tag(), Some("Square"));
    assert_eq!(back, json!({"kind": "Square", "side": 2}));
    let triangle = json!({"kind": "triangle", "sides": [3, 4, 5], "extra": {"deep": true}});
    let (unknown, back) = round_trip::<Shape>(triangle.clone());
    assert_eq!(unknown.tag(), Some("triangle"));
    assert!(matches!(unknown, Shape::Unknown(_)));
    assert_eq!(back, triangle);
    let wrong_body = serde_json::from_value::<Shape>(json!({"kind": "circle", "radius": "big"}));
    assert!(wrong_body.is_err());
    // A value with no tag at all is kept whole rather than failing the document around it.
    let (untagged, back) = round_trip::<Shape>(json!("circle"));
    assert!(matches!(untagged, Shape::Unknown(_)));
    assert_eq!(back, json!("circle"));
    // A member keeps its tag when it is written on its own, and the union writes it for one
    // built without it in mind.
    assert_eq!(serde_json::to_value(Circle::new(2.0)).unwrap(), json!({"kind": "circle", "radius": 2.0}));
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
    assert_eq!(booking.created.get().unwrap().offset().local_minus_utc(), 5 * 3600);
    // A value that does not fit its format is kept and written back; the typed view says so.
    let odd = json!({"created": "1970-07-10", "birthday": "sometime", "reminders": ["2026-12-01T09:00:00.120Z"]});
    let (booking, back) = round_trip::<dates::Booking>(odd.clone());
    assert_eq!(back, odd);
    assert!(booking.created.get().is_none());
    assert_eq!(booking.created.as_str(), "1970-07-10");
    assert!(booking.birthday.unwrap().get().is_none());
    assert_eq!(booking.reminders.unwrap()[0].get().unwrap().timestamp_subsec_millis(), 120);
    // Built from a typed value, it is written in its format.
    let built = dates::Booking::new(chrono::DateTime::parse_from_rfc3339("2026-01-02T03:04:05+01:00").unwrap());
    assert_eq!(serde_json::to_value(built).unwrap(), json!({"created": "2026-01-02T03:04:05+01:00"}));
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

#[test]
fn an_implicit_tag_picks_the_member_and_unknown_tags_stay_whole() {
    use evidence::{CardDetails, CardDetailsType, PaymentMethod};
    let card = json!({"type": "scheme", "encryptedCardNumber": "enc", "holderName": "A B"});
    let (decoded, back) = round_trip::<PaymentMethod>(card.clone());
    let PaymentMethod::CardDetails(details) = &decoded else { panic!("not a card: {decoded:?}") };
    assert_eq!(details.encrypted_card_number.as_deref(), Some("enc"));
    assert_eq!(back, card);
    // Every value a member lists selects it, and is written back as it came.
    let token = json!({"type": "networkToken", "encryptedCardNumber": "t"});
    let (decoded, back) = round_trip::<PaymentMethod>(token.clone());
    assert_eq!(decoded.tag(), Some("networkToken"));
    assert_eq!(back, token);
    let (ideal, _) = round_trip::<PaymentMethod>(json!({"type": "ideal", "issuer": "1121"}));
    assert!(matches!(ideal, PaymentMethod::IdealDetails(_)));
    // A type this client does not know keeps every field, and goes out again unchanged.
    let future = json!({"type": "futurePay", "futureToken": "abc", "nested": {"x": [1, 2]}});
    let (unknown, back) = round_trip::<PaymentMethod>(future.clone());
    assert!(matches!(unknown, PaymentMethod::Unknown(_)));
    assert_eq!(back, future);
    // A member serialised on its own carries its tag; built by hand it gets the spec's default.
    let built = CardDetails::new(CardDetailsType::Scheme).with_holder_name("C D");
    assert_eq!(serde_json::to_value(&built).unwrap(), json!({"type": "scheme", "holderName": "C D"}));
}

#[test]
fn without_a_tag_the_member_that_keeps_every_field_wins() {
    use evidence::{Contact, Shape};
    // Both members have only optional fields: the one that declares what the value carries wins.
    let phone = json!({"number": "+7 700 000 0000", "extension": "12"});
    let (decoded, back) = round_trip::<Contact>(phone.clone());
    assert!(matches!(decoded, Contact::Phone(_)), "{decoded:?}");
    assert_eq!(back, phone);
    let (decoded, _) = round_trip::<Contact>(json!({"address": "a@b.c"}));
    assert!(matches!(decoded, Contact::Email(_)));
    // A value neither member keeps whole is kept whole itself, never cut down to a member.
    let mixed = json!({"address": "a@b.c", "number": "1"});
    let (decoded, back) = round_trip::<Contact>(mixed.clone());
    assert!(matches!(decoded, Contact::Other(_)));
    assert_eq!(back, mixed);
    // Overlapping members: a circle is not cut down to a point, and a point is not a circle.
    let circle = json!({"x": 1.5, "y": 2.5, "radius": 3.5});
    let (decoded, back) = round_trip::<Shape>(circle.clone());
    assert!(matches!(decoded, Shape::Circle(_)), "{decoded:?}");
    assert_eq!(back, circle);
    let (decoded, _) = round_trip::<Shape>(json!({"x": 1.5, "y": 2.5}));
    assert!(matches!(decoded, Shape::Point(_)));
}

#[test]
fn primitive_list_and_nested_unions_choose_by_kind() {
    use evidence::{Contact, Scalar, ScalarMode, Shape, Target};
    assert_eq!(round_trip::<Scalar>(json!("auto")).0, Scalar::ScalarMode(ScalarMode::Auto));
    // An enum member is closed while choosing: another string fits no member and stays whole.
    assert_eq!(round_trip::<Scalar>(json!("manual")).0, Scalar::Other(json!("manual")));
    assert_eq!(round_trip::<Scalar>(json!(5)).0, Scalar::Integer(5));
    assert_eq!(round_trip::<Scalar>(json!(5.5)).0, Scalar::Number(5.5));
    assert_eq!(round_trip::<Scalar>(json!(true)).0, Scalar::Boolean(true));
    assert_eq!(round_trip::<Scalar>(json!(["a"])).0, Scalar::StringList(vec!["a".into()]));
    assert_eq!(round_trip::<Scalar>(json!({"a": 1})).0, Scalar::Other(json!({"a": 1})));
    let (target, back) = round_trip::<Target>(json!({"x": 0.5, "y": 0.5, "radius": 1.5}));
    assert!(matches!(target, Target::Shape(Shape::Circle(_))), "{target:?}");
    assert_eq!(back, json!({"x": 0.5, "y": 0.5, "radius": 1.5}));
    let (target, _) = round_trip::<Target>(json!({"number": "1"}));
    assert!(matches!(target, Target::Contact(Contact::Phone(_))));
}

#[test]
fn a_discriminator_on_a_parent_makes_a_union_of_its_children() {
    use evidence::{Cat, Pet};
    let (pet, back) = round_trip::<Pet>(json!({"petType": "Cat", "name": "Tom", "hunts": true}));
    let Pet::Cat(cat) = &pet else { panic!("not a cat: {pet:?}") };
    assert_eq!(cat.hunts, Some(true));
    assert_eq!(back, json!({"petType": "Cat", "name": "Tom", "hunts": true}));
    let (dog, _) = round_trip::<Pet>(json!({"petType": "Dog", "bark": false}));
    assert_eq!(dog.tag(), Some("Dog"));
    let built = Pet::Cat(Cat::new("Cat"));
    assert_eq!(serde_json::to_value(built).unwrap(), json!({"petType": "Cat"}));
}

#[test]
fn value_enums_write_their_values_and_keep_unknown_ones() {
    use evidence::{Settings, SettingsFlag, SettingsLevel};
    let wire = json!({"level": 2, "flag": "maybe", "owner": null});
    let (settings, back) = round_trip::<Settings>(wire.clone());
    assert_eq!(settings.level, SettingsLevel::Value2);
    assert_eq!(settings.flag, Some(SettingsFlag::Maybe));
    assert!(settings.owner.is_null());
    assert_eq!(back, wire);
    let (unknown, back) = round_trip::<Settings>(json!({"level": 4, "flag": 0}));
    assert_eq!(unknown.level, SettingsLevel::Unknown(json!(4)));
    assert_eq!(unknown.flag, Some(SettingsFlag::Value0));
    assert_eq!(back, json!({"level": 4, "flag": 0}));
    let built = Settings::new(SettingsLevel::Value3).with_flag(SettingsFlag::True);
    assert_eq!(serde_json::to_value(built).unwrap(), json!({"level": 3, "flag": true}));
}

#[test]
fn schema_31_constructs_accept_what_their_schemas_accept() {
    use schema_31::{Id, Labels, Point, Record};
    assert_eq!(round_trip::<Id>(json!("a-1")).0, Id::String("a-1".into()));
    assert_eq!(round_trip::<Id>(json!(7)).0, Id::Integer(7));
    let (point, back) = round_trip::<Point>(json!([1.5, 2.5]));
    assert_eq!(point.len(), 2);
    assert_eq!(back, json!([1.5, 2.5]));
    let (labels, back) = round_trip::<Labels>(json!({"x-a": "1", "x-b": "2"}));
    assert_eq!(labels["x-a"], "1");
    assert_eq!(back, json!({"x-a": "1", "x-b": "2"}));
    let wire = json!({"kind": "record", "id": 3, "nothing": null, "maybe": null});
    let (record, back) = round_trip::<Record>(wire.clone());
    assert_eq!(record.id, Some(Id::Integer(3)));
    assert!(record.maybe.is_null());
    assert_eq!(back, wire);
    // `kind` has one possible value: the constructor sets it.
    assert_eq!(serde_json::to_value(Record::new()).unwrap(), json!({"kind": "record"}));
}
