//! Compares two public surfaces item by item and says what each difference means for code
//! written against the old crate: added (minor), removed or re-typed (major, it stops compiling),
//! the same signature with a different meaning on the wire or another order where the order
//! decides (major, it changes silently), or only other argument names (patch: arguments are
//! positional, so only the docs show them).

use super::surface::{Item, ItemKind, Surface};
use super::{Change, Semver};
use std::collections::BTreeSet;

/// Every difference between the surfaces, each with the spec nodes it accounts for (the item's
/// node in both specs: a moved operation has two). Items that belong to a type or operation that
/// was itself added, removed or reshaped are reported once, with their parent. An item that is
/// the same on both sides but comes from another node (an operation whose path parameter is
/// renamed) has no change, only the nodes it explains.
pub fn compare(old: &Surface, new: &Surface) -> Vec<(Option<Change>, Vec<String>)> {
    let mut whole: BTreeSet<&str> = BTreeSet::new();
    for (key, item) in old {
        let reshaped = new.get(key).is_some_and(|n| n.kind == ItemKind::Type && n.signature != item.signature);
        if !new.contains_key(key) || reshaped {
            whole.insert(key);
        }
    }
    whole.extend(new.keys().filter(|k| !old.contains_key(*k)).map(String::as_str));
    let under_whole = |item: &Item| item.parent.as_deref().is_some_and(|p| whole.contains(p));
    let mut changes = Vec::new();
    for (key, item) in new {
        if under_whole(item) {
            continue;
        }
        let both = |before: &Item| vec![before.pointer.clone(), item.pointer.clone()];
        let Some(before) = old.get(key) else {
            changes.push((Some(added(item)), vec![item.pointer.clone()]));
            continue;
        };
        let flipped = flipped(before, item);
        let change = if before.signature != item.signature {
            Some(retyped(before, item))
        } else if before.meaning != item.meaning {
            Some(moved(before, item))
        } else if !flipped.is_empty() {
            Some(reordered(item, &flipped))
        } else if before.shown != item.shown {
            Some(renamed(before, item))
        } else if before.pointer != item.pointer {
            None
        } else {
            continue;
        };
        changes.push((change, both(before)));
    }
    for (key, item) in old {
        if !new.contains_key(key) && !under_whole(item) {
            changes.push((Some(removed(item)), vec![item.pointer.clone()]));
        }
    }
    changes
}

/// The pairs whose order the new item reverses, as (now earlier, now later). Pairs with a name
/// on one side only are an addition or removal, reported with that name.
fn flipped<'a>(before: &Item, after: &'a Item) -> Vec<&'a (String, String)> {
    let old: BTreeSet<(&str, &str)> = before.ordered.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    after.ordered.iter().filter(|(a, b)| old.contains(&(b.as_str(), a.as_str()))).collect()
}

/// The Rust path of an item, for sentences.
fn name(item: &Item) -> String {
    item.rust.clone().unwrap_or_else(|| item.kind.label().to_owned())
}

/// The last segment of a path: `Channel::Web` → `Web`.
fn last(item: &Item) -> String {
    let path = name(item);
    path.rsplit("::").next().unwrap_or(&path).to_owned()
}

/// The type a variant belongs to: `plexy::models::Channel::Web` → `Channel`.
fn owner(item: &Item) -> String {
    let path = name(item);
    let mut parts = path.rsplit("::");
    parts.nth(1).unwrap_or(&path).to_owned()
}

fn change(item: &Item, verb: &str, semver: Semver, summary: String) -> Change {
    Change {
        pointer: item.pointer.clone(),
        rust: item.rust.clone(),
        kind: format!("{}-{verb}", item.kind.label()),
        breaking: semver == Semver::Major,
        semver,
        summary,
        reason: None,
        note: None,
    }
}

fn added(item: &Item) -> Change {
    let path = name(item);
    let mut c = change(item, "added", Semver::Minor, format!("adds `{path}`: `{}`", item.shown));
    match item.kind {
        ItemKind::EnumVariant => {
            c.summary = format!("adds the value {} as `{path}`", item.meaning);
            c.note = Some(format!(
                "{} was decoded as `{}::Unknown` before and now decodes as `{}`: a `match` that handled it \
                 under `Unknown` no longer sees it there",
                item.meaning,
                owner(item),
                last(item)
            ));
        }
        ItemKind::UnionVariant => {
            c.summary = format!("adds the variant `{path}` for {}", item.meaning);
            c.note = Some(format!(
                "objects with {} were kept as `{}::Unknown` (raw JSON) before and now decode as `{}`",
                item.meaning,
                owner(item),
                last(item)
            ));
        }
        ItemKind::UntaggedVariant => {
            c.note = Some(format!(
                "values that fit no variant were kept as `{}::Other` before; those that fit `{}` now decode \
                 as it",
                owner(item),
                last(item)
            ));
        }
        ItemKind::Method => c.summary = format!("adds the operation `{path}`: `{}`", item.shown),
        ItemKind::ServerVariable => {
            c.summary = format!("the server URL of `{path}` gets a variable, {}", item.meaning);
            c.note = Some("`ClientBuilder::server_variable` can now set it".to_owned());
        }
        ItemKind::Idempotency => {
            c.summary = format!("`{path}` now takes an `Idempotency-Key`");
            c.note = Some(
                "calls now send an automatic `Idempotency-Key` and are retried even after they may have reached \
                 the server"
                    .to_owned(),
            );
        }
        ItemKind::Type => c.summary = format!("adds the type `{path}` ({})", item.shown),
        _ => {}
    }
    c
}

fn removed(item: &Item) -> Change {
    let path = name(item);
    let mut c = change(item, "removed", Semver::Major, format!("removes `{path}`"));
    c.reason = Some(format!("code that uses `{path}` stops compiling"));
    match item.kind {
        ItemKind::EnumVariant => {
            c.summary = format!("removes the value {} (`{path}`)", item.meaning);
            c.reason = Some(format!(
                "code that names `{}` stops compiling, and {} now decodes as `{}::Unknown`",
                last(item),
                item.meaning,
                owner(item)
            ));
        }
        ItemKind::UnionVariant => {
            c.reason = Some(format!(
                "code that names `{}` stops compiling, and objects with {} now decode as `{}::Unknown`",
                last(item),
                item.meaning,
                owner(item)
            ));
        }
        ItemKind::DefaultImpl => {
            c.summary = format!("`{path}` no longer implements `Default` (a field became required)");
            c.reason = Some(format!("`{}::default()` and `..Default::default()` stop compiling", last(item)));
        }
        ItemKind::Idempotency => {
            c.summary = format!("`{path}` no longer takes an `Idempotency-Key`");
            c.reason = Some(
                "it compiles unchanged, but calls no longer send an automatic key and are no longer retried once \
                 they may have reached the server"
                    .to_owned(),
            );
            c.note = c.reason.clone();
        }
        ItemKind::Method => c.summary = format!("removes the operation `{path}`"),
        ItemKind::ServerVariable => {
            c.summary = format!("the server URL of `{path}` loses a variable, {}", item.meaning);
            c.reason = Some(
                "it compiles unchanged, but `build` now refuses a client that sets it with \
                 `ClientBuilder::server_variable`"
                    .to_owned(),
            );
        }
        _ => {}
    }
    c
}

/// Same item, different signature: callers written for the old one stop compiling.
fn retyped(before: &Item, after: &Item) -> Change {
    let path = name(after);
    let summary = format!("`{path}` changes from `{}` to `{}`", before.shown, after.shown);
    let mut c = change(after, "changed", Semver::Major, summary);
    c.reason = Some(match after.kind {
        ItemKind::Field => format!("code that reads or sets `{}` with its old type stops compiling", last(after)),
        ItemKind::Constructor => "calls of `new` written for the old arguments stop compiling".to_owned(),
        ItemKind::Method => "calls written for the old arguments stop compiling".to_owned(),
        ItemKind::Marker => "the awaited result has another type: code that uses it stops compiling".to_owned(),
        ItemKind::Type => "the type has another shape: code that builds or matches it stops compiling".to_owned(),
        _ => format!("code written against `{}` stops compiling", before.shown),
    });
    c
}

/// Same names, another order where the order decides: code compiles unchanged and behaves
/// differently.
fn reordered(after: &Item, flipped: &[&(String, String)]) -> Change {
    let path = name(after);
    let more = match flipped.len() {
        1 => String::new(),
        n => format!(" (and {} other pairs)", n - 1),
    };
    let (first, second) = flipped[0];
    let mut c = change(after, "changed", Semver::Major, String::new());
    let silently = "it compiles unchanged";
    let (summary, reason) = match after.kind {
        ItemKind::EnumOrder => (
            format!(
                "the values of `{path}` are ordered differently (`Ord`): `{first}` now sorts before `{second}`{more}"
            ),
            format!(
                "{silently}, but the derived `PartialOrd`/`Ord` follow the declared order: comparisons, sorting and \
                 the iteration order of `BTreeMap`/`BTreeSet` keys change"
            ),
        ),
        _ => (
            format!(
                "the members of `{path}` are tried in another order: `{first}` now wins a tie with `{second}`{more}"
            ),
            format!(
                "{silently}, but a value that fits both members equally well now decodes as `{first}` (decoding \
                 tries the tightest fit first and breaks ties in the spec's order)"
            ),
        ),
    };
    c.summary = summary;
    c.reason = Some(reason);
    c
}

/// Same signature and meaning, other argument names: callers pass arguments by position, so
/// only the documentation changes.
fn renamed(before: &Item, after: &Item) -> Change {
    let path = name(after);
    // The signatures agree but for names, so the words that differ are the renamed arguments.
    fn words(text: &str) -> Vec<&str> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '#')).filter(|w| !w.is_empty()).collect()
    }
    let (old, new) = (words(&before.shown), words(&after.shown));
    let renames: Vec<String> = if old.len() == new.len() {
        old.iter().zip(&new).filter(|(a, b)| a != b).map(|(a, b)| format!("`{a}` → `{b}`")).collect()
    } else {
        vec![format!("`{}` → `{}`", before.shown, after.shown)]
    };
    let summary = format!(
        "the arguments of `{path}` are renamed ({}); calls pass them by position and are unaffected",
        renames.join(", ")
    );
    let mut c = change(after, "changed", Semver::Patch, summary);
    c.kind = "argument-renamed".to_owned();
    c
}

/// Same signature, different meaning: code compiles unchanged and behaves differently.
fn moved(before: &Item, after: &Item) -> Change {
    let path = name(after);
    let (old, new) = (&before.meaning, &after.meaning);
    let mut c = change(after, "changed", Semver::Major, format!("`{path}`: {old} → {new}"));
    let silently = "it compiles unchanged";
    let reason = match after.kind {
        ItemKind::DefaultServer if old.starts_with("no server") => {
            c.semver = Semver::Minor;
            c.breaking = false;
            c.summary = format!("`{path}` gets a default server: {new}");
            c.note = Some(format!("clients built without `base_url` now send requests to {new}"));
            return c;
        }
        ItemKind::ServerVariable => {
            c.summary = format!("a server variable of `{path}` changes: {old} → {new}");
            c.note = Some("clients that leave it at its default, or set a value no longer allowed, change".to_owned());
            format!("{silently}, but requests may go to another server, or `build` may refuse a value it took")
        }
        ItemKind::DefaultServer => {
            c.summary = format!("the default server of `{path}` changes from {old} to {new}");
            c.note = Some(format!("clients built without `base_url` now send every request to {new}"));
            format!("{silently}, but requests go to another server")
        }
        ItemKind::Field => format!("{silently}, but the field is read from and written to {new} instead of {old}"),
        ItemKind::EnumVariant | ItemKind::UnionVariant => {
            format!("{silently}, but `{}` now stands for {new} instead of {old} on the wire", last(after))
        }
        ItemKind::OperationCredential => {
            c.summary = format!("the calls of `{path}` send other credentials: {old} → {new}");
            format!("{silently}, but calls now send {new} instead of {old}")
        }
        ItemKind::Constructor | ItemKind::Method => {
            format!("{silently} when the arguments have the same types, but they now mean something else ({new})")
        }
        ItemKind::Marker => format!("{silently}, but the same call now sends another request ({new})"),
        _ => format!("{silently}, but behaves differently"),
    };
    c.reason = Some(reason);
    c
}
