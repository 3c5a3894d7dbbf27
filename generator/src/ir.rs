//! The intermediate representation: what the generated crate contains, decided and sorted.
//!
//! Lowering builds it from the spec; emitters turn it into tokens and never look back at the
//! spec. Every named thing carries its Rust name beside its wire name, and every decision
//! (optional? boxed? renamed?) is made here, not by inspecting emitted code.

use std::collections::BTreeMap;

/// The whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`, shown in docs only (never in file preambles).
    pub version: String,
    /// The first `servers` URL, the client's default base URL.
    pub base_url: Option<String>,
    /// The first `servers` URL when it is relative (`/v2`; `/` when the spec lists no server,
    /// as OpenAPI says): resolved at run time against where the caller says the document is
    /// served (`ClientBuilder::document_url`). `None` when `base_url` is set.
    pub relative_server: Option<String>,
    /// The variables of the first server's URL, which the caller may set
    /// (`ClientBuilder::server_variable`); empty when it has none.
    pub server_variables: Vec<ServerVariable>,
    /// The first server's URL as written, `{name}` for each variable; empty when it has none.
    pub server_template: String,
    /// The security schemes the client can send, in the spec's order
    /// (`components/securitySchemes`); operations name them by index.
    pub security_schemes: Vec<SecurityScheme>,
    /// The scheme the key given to `Client::builder` is for: the first the document requires
    /// (or, requiring none, declares) that the client can send.
    pub primary_scheme: Option<usize>,
    /// Every type, keyed by its Rust name, so iteration order is the output order.
    pub types: BTreeMap<String, TypeDef>,
    /// Every operation, sorted by Rust method name.
    pub operations: Vec<Operation>,
    /// The body type of error responses when all operations agree on one; `None` means raw JSON.
    pub error_body: Option<TypeRef>,
    /// The webhooks the API sends (the spec's `x-plexy-webhooks`); `None` when the spec has none.
    pub webhooks: Option<Webhooks>,
    /// The bodies of the requests the API sends to its users (`webhooks`, `x-webhooks`), in
    /// document order; they make the `webhooks` module.
    pub webhook_payloads: Vec<WebhookPayload>,
}

/// The optional parts of the runtime a crate needs, so that a crate gets only the code (and the
/// dependencies) its operations use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuntimeNeeds {
    /// Form bodies: `form.rs` and serde_qs.
    pub form: bool,
    /// Multipart bodies: `multipart.rs` and reqwest's multipart support.
    pub multipart: bool,
    /// Raw bodies: `binary.rs` and reqwest's streaming bodies.
    pub binary: bool,
    /// `bytes::Bytes` in the public API (raw bodies, multipart parts, byte answers).
    pub bytes: bool,
    /// Parameter styles, `content` parameters and cookies: `encode.rs` and percent-encoding.
    pub encode: bool,
}

/// `::std::<module>::<Name>` paths of the standard items that `models` code uses and whose `Name`
/// the Rust prelude (2021 and later) brings into scope. `fmt::Result` and
/// `collections::BTreeMap`, say, are not among them.
pub const PRELUDE_PATHS: [(&str, &str); 11] = [
    ("option", "Option"),
    ("result", "Result"),
    ("string", "String"),
    ("string", "ToString"),
    ("vec", "Vec"),
    ("boxed", "Box"),
    ("convert", "Into"),
    ("convert", "From"),
    ("borrow", "ToOwned"),
    ("default", "Default"),
    ("clone", "Clone"),
];

/// Variants the prelude brings into scope by themselves: `Option::Some` is `Some`.
pub const PRELUDE_VARIANTS: [(&str, &str); 4] =
    [("Option", "Some"), ("Option", "None"), ("Result", "Ok"), ("Result", "Err")];

impl Api {
    /// Whether `models` may name standard items by their prelude names (`Option<String>`): no
    /// model type takes one of those names. Otherwise every such path is written in full
    /// (`::std::option::Option`), since the model type would shadow the prelude's.
    pub fn models_use_prelude(&self) -> bool {
        let takes_a_prelude_name =
            |def: &TypeDef| PRELUDE_PATHS.iter().chain(&PRELUDE_VARIANTS).any(|(_, n)| def.name == *n);
        !self.types.values().any(takes_a_prelude_name)
    }

    /// What of the optional runtime the operations use.
    pub fn runtime_needs(&self) -> RuntimeNeeds {
        let mut needs = RuntimeNeeds::default();
        for op in &self.operations {
            for body in op.body.iter().chain(op.other_bodies.iter().map(|other| &other.body)) {
                match &body.kind {
                    BodyKind::Form(_) => {
                        // A form field may be written in a style of its own (form.rs calls encode.rs).
                        needs.form = true;
                        needs.encode = true;
                    }
                    BodyKind::Multipart(_) => needs.multipart = true,
                    BodyKind::Binary => needs.binary = true,
                    BodyKind::Json(_) | BodyKind::Text => {}
                }
            }
            needs.bytes |= op.output == Output::Bytes || op.other_outputs.iter().any(|o| o.output == Output::Bytes);
            needs.encode |=
                op.params.iter().any(|p| p.encoding != ParamEncoding::Plain || p.location == ParamLocation::Cookie);
        }
        needs.bytes |= needs.binary || needs.multipart;
        needs
    }
}

/// A variable of the first server's URL (`{region}` in `https://{region}.api.example.com`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVariable {
    /// Its name, as the URL writes it between braces.
    pub name: String,
    /// The value used when the caller sets none.
    pub default: String,
    /// The values the spec allows (`enum`); empty when any is.
    pub allowed: Vec<String>,
}

/// The webhooks the API POSTs to the merchant, from the spec's `x-plexy-webhooks` extension (OpenAPI
/// 3.0 has no webhooks section). Their presence adds the `webhook` module, which verifies a
/// delivery's `t=…,v1=…` signature header and decodes its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhooks {
    /// The request header that carries the signature (`Plexy-Signature`), as the spec writes it.
    pub signature_header: String,
    /// The type of an event body.
    pub event: TypeRef,
    /// How far a delivery's timestamp may be from now, in seconds, either way.
    pub tolerance_secs: u64,
}

/// The body of one webhook request the API sends (an operation of an entry of `webhooks` or
/// `x-webhooks` whose body is JSON), published as a type alias in the `webhooks` module.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookPayload {
    /// The alias's Rust name (`UpperCamelCase` of the webhook's name, and of its method when
    /// the webhook has several), unique in the module.
    pub name: String,
    /// The webhook's name as the spec writes it (`newPet`).
    pub webhook: String,
    /// `POST`, … in upper case.
    pub method: String,
    /// JSON pointer of the webhook's operation (`#/webhooks/newPet/post`).
    pub pointer: String,
    /// The media type of the body (`application/json`).
    pub media_type: String,
    /// The operation's summary (or the path item's).
    pub summary: Option<String>,
    /// The operation's description (or the request body's).
    pub description: Option<String>,
    /// The body's type.
    pub ty: TypeRef,
}

/// A security scheme the client can send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its name under `components/securitySchemes`, which the caller gives to
    /// `ClientBuilder::credential`.
    pub name: String,
    /// Where its credential goes.
    pub auth: Auth,
}

/// Where a scheme's credential goes on the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// An API key sent in the named header (Plexy: `x-api-key`).
    ApiKeyHeader(String),
    /// An API key sent as the named query parameter.
    ApiKeyQuery(String),
    /// An API key sent as the named cookie.
    ApiKeyCookie(String),
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth 2 and OpenID Connect schemes).
    Bearer,
    /// `Authorization: Basic <base64 of user:password>` (HTTP basic).
    Basic,
}

/// A named Rust type in the `models` module.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust type name (unique, `UpperCamelCase`).
    pub name: String,
    /// JSON pointer of the schema it comes from.
    pub pointer: String,
    /// Rustdoc prose from the schema's title and description.
    pub doc: Option<String>,
    /// What kind of type it is.
    pub kind: TypeKind,
}

/// The closed set of type shapes the generator emits.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum that also keeps values the spec does not list.
    Enum(Enum),
    /// An enum of values that are not all strings (integers, booleans, mixed): written as the
    /// values themselves, open to values the spec does not list.
    ValueEnum(ValueEnum),
    /// A union told apart by a tag property: the spec's discriminator, or an implicit one (a
    /// property every member declares with disjoint `enum`/`const` values). Unknown tags keep
    /// their raw JSON.
    Union(Union),
    /// A named schema that is another type (`type Currency = String;`).
    Alias(TypeRef),
    /// An `anyOf`, or a `oneOf` with no tag to go by: the member is chosen by evidence (see
    /// [`Evidence`]), and a value no member keeps whole is kept as raw JSON.
    Untagged(Untagged),
}

/// A union told apart by shape rather than by a tag.
#[derive(Debug, Clone, PartialEq)]
pub struct Untagged {
    /// The variants, in the spec's order (the order that breaks ties).
    pub variants: Vec<UntaggedVariant>,
    /// The Rust name of the variant that keeps a value no member fits (`Other`, numbered if a
    /// member took that name).
    pub fallback: String,
}

/// One variant of an untagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    /// Rust variant name.
    pub name: String,
    /// The type it holds.
    pub ty: TypeRef,
    /// Stored behind a `Box` because the union contains itself through this variant.
    pub boxed: bool,
    /// JSON pointer of the member schema.
    pub pointer: String,
    /// What a value must look like for this member to be chosen (filled in once every type is
    /// known, by `lower::evidence`).
    pub evidence: Evidence,
}

/// What a JSON value must show for a union member to be chosen: its JSON kind, the properties
/// the member requires, the properties it keeps (a member that would drop one is never chosen),
/// and the values its enums and consts allow (closed while choosing, open once chosen).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evidence {
    /// The JSON kinds the member accepts; empty means any.
    pub kinds: Vec<JsonKind>,
    /// Property names that must be present (objects).
    pub required: Vec<String>,
    /// Every property the member keeps; `None` when it keeps any property (a map, or a struct
    /// with `additionalProperties`).
    pub known: Option<Vec<String>>,
    /// Properties whose value must be one of the listed values (`enum`, `const`).
    pub property_values: Vec<(String, Vec<serde_json::Value>)>,
    /// The values the member itself allows, when it is an enum.
    pub values: Option<Vec<serde_json::Value>>,
    /// For a member that is itself a union without a tag: its members' evidence, any of which
    /// will do (the checks above then say nothing).
    pub alternatives: Vec<Evidence>,
}

/// The kinds of JSON value, as JSON Schema's `type` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum JsonKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// A number without a fractional part.
    Integer,
    /// Any number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// A struct's fields, in spec order.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// The fields in the order the spec lists its properties.
    pub fields: Vec<Field>,
    /// `additionalProperties` beside named properties: the Rust name of the flattened map field
    /// that keeps them, and the type of its values.
    pub additional: Option<(String, TypeRef)>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The one value a required field can have (its type is an enum of a single value, as a
    /// union member's tag is): the constructor sets it, as the Rust name of that enum variant.
    pub pinned: Option<String>,
    /// Rust field name (`snake_case`, not yet made raw).
    pub name: String,
    /// The property name on the wire.
    pub wire_name: String,
    /// The field's type without the `Option` that optional fields add.
    pub ty: TypeRef,
    /// Listed in the schema's `required`.
    pub required: bool,
    /// `nullable: true`: the value may be JSON `null`.
    pub nullable: bool,
    /// Stored behind a `Box` because the type contains itself through this field.
    pub boxed: bool,
    /// The value's own properties sit beside the struct's (`#[serde(flatten)]`): an `allOf`
    /// member that is not an object, such as a union, combined with properties.
    pub flatten: bool,
    /// Rustdoc prose.
    pub doc: Option<String>,
}

impl Field {
    /// How the field may appear on the wire.
    pub fn presence(&self) -> Presence {
        match (self.required || self.flatten, self.nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }
}

/// How a field may appear on the wire, which decides its Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always there, never `null`: `T`.
    Required,
    /// Always there, maybe `null`: `Option<T>`.
    RequiredNullable,
    /// Maybe absent, never `null`: `Option<T>`, omitted when `None`.
    Optional,
    /// Maybe absent, maybe `null`, and the two mean different things (a PATCH that clears a
    /// field): the tri-state `Nullable<T>`, absent by default.
    OptionalNullable,
}

/// An open string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Known values in spec order.
    pub variants: Vec<EnumVariant>,
}

/// One known value of a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// Rust variant name.
    pub name: String,
    /// The string on the wire.
    pub wire_value: String,
}

/// An enum whose values are not all strings.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueEnum {
    /// Known values in spec order.
    pub variants: Vec<ValueVariant>,
}

/// One known value of a [`ValueEnum`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValueVariant {
    /// Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub value: serde_json::Value,
}

/// A union told apart by a tag property.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The wire name of the tag property (`type`).
    pub tag: String,
    /// Whether the spec declares the discriminator (`false`: found in the members' enums).
    pub declared: bool,
    /// Known variants, in the order of the discriminator mapping, then of the members.
    pub variants: Vec<UnionVariant>,
}

/// One known variant of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// The tag values that select it; the first is written when the member leaves its tag unset.
    pub tag_values: Vec<String>,
    /// The Rust name of the type it carries (a struct that keeps its own tag property).
    pub type_name: String,
    /// Stored behind a `Box` because the union contains itself through this variant.
    pub boxed: bool,
    /// The member's own field that holds the tag, when it has one that reads as text (filled
    /// in once every type is known). Without one, the union writes the first tag value.
    pub tag_field: Option<TagField>,
}

/// The field of a union member that holds the union's tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagField {
    /// Rust field name.
    pub name: String,
    /// The field is an `Option` (the union writes the first tag value when it is `None`).
    pub optional: bool,
}

/// A reference to a type as it appears in a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32` (`format: int32`).
    I32,
    /// `i64` (`integer` without format, or `int64`).
    I64,
    /// `f32` (`format: float`).
    F32,
    /// `f64` (`number`).
    F64,
    /// `Formatted<chrono::NaiveDate>` (`format: date`): the text as sent, typed where it parses.
    Date,
    /// `Formatted<chrono::DateTime<FixedOffset>>` (`format: date-time`): the text as sent (so the
    /// offset and precision are written back unchanged), typed where it parses.
    DateTime,
    /// `serde_json::Value`, where the spec itself says "any JSON" (`{}` or a free-form map value)
    /// or where a shape cannot be typed (the generation summary names those).
    Json,
    /// `()`, written as `null` (`type: "null"`).
    Null,
    /// `Option<T>`: a list item or map value that may be `null`.
    OrNull(Box<TypeRef>),
    /// A type of the `models` module, by Rust name.
    Named(String),
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>` (`additionalProperties`).
    Map(Box<TypeRef>),
}

/// One HTTP operation, which becomes one client method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Rust method name (`snake_case` of the operationId).
    pub method_name: String,
    /// Rust name of the operation's marker type (`UpperCamelCase` of the operationId).
    pub type_name: String,
    /// The operationId as written in the spec.
    pub operation_id: String,
    /// `GET`, `POST`, … in upper case.
    pub http_method: String,
    /// The path template as written in the spec (`/sessions/{sessionId}`).
    pub path: String,
    /// The path split into segments, each a sequence of literal and parameter parts.
    pub segments: Vec<Vec<PathPart>>,
    /// Path, query and header parameters, required ones first, each group in spec order.
    pub params: Vec<Param>,
    /// The request body, when there is one.
    pub body: Option<Body>,
    /// The other media types the spec offers for the body, each with its own method; the
    /// caller chooses by calling it.
    pub other_bodies: Vec<OtherBody>,
    /// What a 2xx answer's body becomes.
    pub output: Output,
    /// The `Accept` header: the 2xx media types the spec declares (`application/json` when none).
    pub accept: String,
    /// The other kinds of answer the spec offers (a PDF or a CSV beside JSON), each asked for
    /// by a method and a marker type of its own; the caller chooses by calling it.
    pub other_outputs: Vec<OtherOutput>,
    /// The 2xx status codes the spec declares (for docs).
    pub success_statuses: Vec<u16>,
    /// Whether the spec lets this operation take an `Idempotency-Key` header.
    pub idempotency_key: bool,
    /// The headers its success answers declare, typed; empty when none are.
    pub response_headers: Vec<ResponseHeader>,
    /// The Rust name of the struct of [`Operation::response_headers`] (`CreateBookingHeaders`);
    /// empty when there are none.
    pub headers_type: String,
    /// The operation's own server (its `servers`, or its path item's): the first, variables at
    /// their defaults, absolute or relative to the document's address; `None` to use the
    /// client's.
    pub server: Option<String>,
    /// The operation's security (its own, or the document's): alternatives in the spec's
    /// order, each the indices into `Api::security_schemes` of the schemes it needs together.
    /// An empty alternative needs no credential (`{}`, or `security: []`). Never empty itself.
    pub security: Vec<Vec<usize>>,
    /// Summary line for rustdoc.
    pub summary: Option<String>,
    /// Longer prose for rustdoc.
    pub description: Option<String>,
    /// A JSON example of the request body from the spec, used to write the method's doc example.
    pub body_example: Option<serde_json::Value>,
}

/// A request body an operation also accepts as another media type, sent by a method of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct OtherBody {
    /// The method's Rust name (`create_pet_form`), unique among the client's methods.
    pub method_name: String,
    /// The body as that media type.
    pub body: Body,
}

/// An answer an operation also offers as another kind of media type, asked for by a method of
/// its own (`get_invoice_as_bytes`, with `Accept: application/pdf`).
#[derive(Debug, Clone, PartialEq)]
pub struct OtherOutput {
    /// The method's Rust name, unique among the client's methods.
    pub method_name: String,
    /// The Rust name of its marker type, unique among the operations' types.
    pub type_name: String,
    /// What the answer becomes: `Text` or `Bytes`.
    pub output: Output,
    /// The `Accept` header: the media types of that kind the spec offers.
    pub accept: String,
}

/// Which of an operation's methods a [`Callable`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The operation's own method: its first body media type, its preferred answer.
    Primary,
    /// Sends the body as another media type; shares the operation's marker type.
    OtherBody,
    /// Asks for another kind of answer; has a marker type of its own.
    OtherOutput,
}

/// One client method of an operation, as the operation it calls: its method name, body,
/// answer, `Accept` and marker type are those of the method, and it has no others of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Callable<'a> {
    /// The operation as this method sends it.
    pub op: std::borrow::Cow<'a, Operation>,
    /// Which method it is.
    pub variant: Variant,
}

impl Operation {
    /// Every client method of this operation: its own, then one per other body media type
    /// (with its preferred answer), then one per other kind of answer (with its first body).
    pub fn callables(&self) -> Vec<Callable<'_>> {
        use std::borrow::Cow;
        let bare = || Operation { other_bodies: Vec::new(), other_outputs: Vec::new(), ..self.clone() };
        let mut out = vec![Callable { op: Cow::Borrowed(self), variant: Variant::Primary }];
        for other in &self.other_bodies {
            let op = Operation {
                method_name: other.method_name.clone(),
                body: Some(other.body.clone()),
                body_example: None,
                ..bare()
            };
            out.push(Callable { op: Cow::Owned(op), variant: Variant::OtherBody });
        }
        for other in &self.other_outputs {
            let op = Operation {
                method_name: other.method_name.clone(),
                type_name: other.type_name.clone(),
                output: other.output.clone(),
                accept: other.accept.clone(),
                ..bare()
            };
            out.push(Callable { op: Cow::Owned(op), variant: Variant::OtherOutput });
        }
        out
    }
}

/// A header that an operation's success answers declare.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// The field's Rust name (`snake_case`, unique in its struct).
    pub name: String,
    /// The header's name in lower case (`x-rate-limit-remaining`).
    pub wire_name: String,
    /// What its value parses into: `String`, `I64`, `F64` or `Bool`.
    pub ty: TypeRef,
    /// The spec's description.
    pub doc: Option<String>,
}

/// A piece of one path segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text copied as written.
    Literal(String),
    /// The value of the named path parameter (Rust name), percent-encoded by the runtime.
    Param(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// A `{name}` in the path.
    Path,
    /// `?name=value`.
    Query,
    /// A request header.
    Header,
    /// A `name=value` pair of the `Cookie` header.
    Cookie,
}

/// How a parameter's value becomes text (OpenAPI `style`, `explode`, `allowReserved`, `content`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamEncoding {
    /// The value's text as it is, percent-encoded for its place; a list repeats the query key.
    /// The spec's default for scalars everywhere and for lists in a query (`form`, exploded).
    Plain,
    /// Through the runtime's style encoder, from the value's JSON form.
    Styled {
        /// The style.
        style: Style,
        /// `explode`.
        explode: bool,
        /// `allowReserved`: reserved characters go into the query as they are.
        allow_reserved: bool,
    },
    /// `content` with a JSON media type: the value's JSON text.
    Json,
}

/// How one field of a form body is written, as its `encoding` entry says (the query
/// parameter rules: OpenAPI 3, Encoding Object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStyle {
    /// The property's name on the wire.
    pub name: String,
    /// `form` unless the entry names another.
    pub style: Style,
    /// Defaults to true for `form`, false otherwise.
    pub explode: bool,
    /// Reserved characters go unescaped.
    pub allow_reserved: bool,
}

/// An OpenAPI parameter style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form` (query and cookie).
    Form,
    /// `spaceDelimited` (query lists).
    SpaceDelimited,
    /// `pipeDelimited` (query lists).
    PipeDelimited,
    /// `deepObject` (query objects).
    DeepObject,
    /// `simple` (path and header).
    Simple,
    /// `label` (path).
    Label,
    /// `matrix` (path).
    Matrix,
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust name (`snake_case`, unique within the operation).
    pub name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type; arrays repeat the query key.
    pub ty: TypeRef,
    /// Required parameters are method arguments; optional ones are setters on the call.
    pub required: bool,
    /// How the value becomes text.
    pub encoding: ParamEncoding,
    /// Rustdoc prose.
    pub doc: Option<String>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// How it is encoded, and the type the caller passes.
    pub kind: BodyKind,
    /// The media type as the spec writes it, sent as `Content-Type` (multipart adds its boundary).
    pub media_type: String,
    /// Whether the spec requires it (`requestBody.required`, false unless said); an optional
    /// body is an `Option` argument.
    pub required: bool,
    /// For a form body, the fields whose `encoding` names a style, `explode` or
    /// `allowReserved`, in the spec's order; the others are written the default way.
    pub field_styles: Vec<FieldStyle>,
    /// Rustdoc prose.
    pub doc: Option<String>,
}

/// How a request body goes on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// JSON (`application/json`, any `+json`, `*/*` with a schema that is not binary).
    Json(TypeRef),
    /// `application/x-www-form-urlencoded`: the value's fields as `key=value` pairs, nested
    /// objects in brackets, lists repeating their key.
    Form(TypeRef),
    /// `multipart/form-data`: the caller builds the parts; the spec's properties are listed in
    /// the docs.
    Multipart(Vec<PartDoc>),
    /// Text (`text/*`), sent as UTF-8.
    Text,
    /// Raw bytes of the declared type (octet streams, images, vendor types), from memory or a
    /// stream.
    Binary,
}

/// One property of a multipart body's schema, for the docs of the method that sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartDoc {
    /// The part's name.
    pub name: String,
    /// A file (`format: binary`/`base64`, or a content type in `encoding`).
    pub file: bool,
    /// Listed in the schema's `required`.
    pub required: bool,
}

/// What a 2xx answer's body becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// No body (or one the client ignores): `()`.
    Empty,
    /// JSON decoded into the type.
    Json(TypeRef),
    /// Text, as a `String`.
    Text,
    /// Raw bytes, as `bytes::Bytes`.
    Bytes,
}
