//! Lowers parameters: path, query, header and cookie, each with the style, `explode`,
//! `allowReserved` or `content` that decides its text on the wire.

use super::operation::{IDEMPOTENCY_HEADER, OpContext, component};
use super::schema::Types;
use crate::diagnostics::{ErrorStore, child};
use crate::ir::{Param, ParamEncoding, ParamLocation, Style, TypeDef, TypeKind, TypeRef};
use crate::naming::{Scope, param_name, pascal};
use openapiv3::{CookieStyle, HeaderStyle, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr};
use std::collections::BTreeMap;

impl OpContext<'_> {
    /// Path-level and operation-level parameters merged (the operation's win), required first.
    /// Also says whether an `Idempotency-Key` header is declared, which the runtime sends itself.
    pub(super) fn params(
        &self,
        path_level: &[ReferenceOr<Parameter>],
        op_level: &[ReferenceOr<Parameter>],
        types: &mut Types<'_>,
        errors: &mut ErrorStore,
    ) -> (Vec<Param>, bool) {
        let mut merged: Vec<(String, &Parameter)> = Vec::new();
        let sources =
            [(child(self.pointer, "parameters"), op_level), (child(self.path_pointer, "parameters"), path_level)];
        for (base, list) in &sources {
            for (i, p) in list.iter().enumerate() {
                let at = child(base, &i.to_string());
                let (param, at) = match p {
                    ReferenceOr::Item(p) => (p, at),
                    ReferenceOr::Reference { reference } => {
                        match component(reference, "parameters", self.components.map(|c| &c.parameters)) {
                            Some(p) => (p, reference.clone()),
                            None => {
                                errors.push(
                                    &at,
                                    format!("$ref `{reference}` points to no parameter in #/components/parameters"),
                                );
                                continue;
                            }
                        }
                    }
                };
                let data = param.parameter_data_ref();
                let same = |(_, q): &(String, &Parameter)| {
                    q.parameter_data_ref().name == data.name
                        && std::mem::discriminant(*q) == std::mem::discriminant(param)
                };
                if !merged.iter().any(same) {
                    merged.push((at, param));
                }
            }
        }
        let mut names = Scope::default();
        let mut idempotency_key = false;
        let mut params = Vec::new();
        for (at, param) in merged {
            let data = param.parameter_data_ref();
            let (location, style) = match param {
                Parameter::Path { .. } if !self.path.contains(&format!("{{{}}}", data.name)) => {
                    errors.push(&at, format!("path parameter `{}` does not appear in the path", data.name));
                    continue;
                }
                Parameter::Path { style, .. } => (ParamLocation::Path, path_style(style)),
                Parameter::Query { style, .. } => (ParamLocation::Query, query_style(style)),
                Parameter::Header { .. } if data.name.eq_ignore_ascii_case(IDEMPOTENCY_HEADER) => {
                    idempotency_key = true;
                    continue;
                }
                Parameter::Header { style: HeaderStyle::Simple, .. } => (ParamLocation::Header, Style::Simple),
                Parameter::Cookie { style: CookieStyle::Form, .. } => (ParamLocation::Cookie, Style::Form),
            };
            let allow_reserved = matches!(param, Parameter::Query { allow_reserved: true, .. });
            let explode = data.explode.unwrap_or(style == Style::Form);
            let hint = format!("{}{}", self.type_name, pascal(&data.name, "Param", "Param"));
            let (ty, encoding) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let ty = types.lower_inline(schema, &child(&at, "schema"), &hint, 0, errors).0;
                    let ty = resolve_aliases(ty, &types.defs);
                    let plain = match shape(&ty, &types.defs) {
                        Shape::Scalar => style == default_style(location) && !allow_reserved,
                        Shape::ScalarList => {
                            location == ParamLocation::Query && style == Style::Form && explode && !allow_reserved
                        }
                        Shape::Other => false,
                    };
                    let encoding = if plain {
                        ParamEncoding::Plain
                    } else {
                        ParamEncoding::Styled { style, explode, allow_reserved }
                    };
                    (ty, encoding)
                }
                ParameterSchemaOrContent::Content(content) => {
                    // `content` carries one media type; JSON is the one in use, and any other is
                    // sent as the value's JSON text too, which is what its schema describes.
                    let schema = content.iter().find_map(|(name, media)| Some((name, media.schema.as_ref()?)));
                    let ty = match schema {
                        Some((name, schema)) => {
                            let at = child(&child(&child(&at, "content"), name), "schema");
                            types.lower_inline(schema, &at, &hint, 0, errors).0
                        }
                        None => TypeRef::Json,
                    };
                    (ty, ParamEncoding::Json)
                }
            };
            params.push(Param {
                name: param_name(&mut names, &data.name),
                wire_name: data.name.clone(),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                encoding,
                doc: data.description.clone(),
            });
        }
        params.sort_by_key(|p| !p.required);
        (params, idempotency_key)
    }
}

/// The style a location uses when the spec names none.
fn default_style(location: ParamLocation) -> Style {
    match location {
        ParamLocation::Query | ParamLocation::Cookie => Style::Form,
        ParamLocation::Path | ParamLocation::Header => Style::Simple,
    }
}

fn path_style(style: &PathStyle) -> Style {
    match style {
        PathStyle::Simple => Style::Simple,
        PathStyle::Label => Style::Label,
        PathStyle::Matrix => Style::Matrix,
    }
}

pub(super) fn query_style(style: &QueryStyle) -> Style {
    match style {
        QueryStyle::Form => Style::Form,
        QueryStyle::SpaceDelimited => Style::SpaceDelimited,
        QueryStyle::PipeDelimited => Style::PipeDelimited,
        QueryStyle::DeepObject => Style::DeepObject,
    }
}

/// What a parameter's value is, for choosing how it becomes text.
enum Shape {
    /// A string, number, boolean, date or string enum: its text as it is.
    Scalar,
    /// A list of scalars.
    ScalarList,
    /// An object, map, union, free JSON or nested list: only the style encoder writes it.
    Other,
}

fn shape(ty: &TypeRef, defs: &BTreeMap<String, TypeDef>) -> Shape {
    let scalar = |ty: &TypeRef| match ty {
        TypeRef::Json | TypeRef::Map(_) | TypeRef::Vec(_) => false,
        TypeRef::Named(name) => matches!(defs.get(name).map(|d| &d.kind), Some(TypeKind::Enum(_))),
        _ => true,
    };
    match ty {
        TypeRef::Vec(inner) if scalar(inner) => Shape::ScalarList,
        ty if scalar(ty) => Shape::Scalar,
        _ => Shape::Other,
    }
}

/// The type an alias stands for, all the way down, so that a parameter's list repeats its key
/// and its scalar prints as text.
fn resolve_aliases(ty: TypeRef, defs: &BTreeMap<String, TypeDef>) -> TypeRef {
    let mut ty = ty;
    for _ in 0..16 {
        match ty {
            TypeRef::Named(ref name) => match defs.get(name).map(|d| &d.kind) {
                Some(TypeKind::Alias(target)) => ty = target.clone(),
                _ => return ty,
            },
            TypeRef::Vec(inner) => return TypeRef::Vec(Box::new(resolve_aliases(*inner, defs))),
            other => return other,
        }
    }
    ty
}
