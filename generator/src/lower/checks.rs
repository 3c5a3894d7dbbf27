//! Whole-graph passes over the lowered types: boxing of recursive fields, and alias cycles that
//! no Rust type could express.

use crate::diagnostics::ErrorStore;
use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Reports aliases that lead back to themselves (`A = B`, `B = A`, or `A = Vec<A>`), which
/// would be infinite types in Rust: a `$ref` cycle with no object in between.
pub fn check_alias_cycles(defs: &BTreeMap<String, TypeDef>, errors: &mut ErrorStore) {
    let graph: BTreeMap<&str, BTreeSet<&str>> = defs
        .iter()
        .filter_map(|(name, def)| match &def.kind {
            TypeKind::Alias(target) => {
                let mut mentioned = Vec::new();
                named_in(target, &mut mentioned);
                let aliases = mentioned
                    .into_iter()
                    .filter(|m| matches!(defs.get(*m).map(|d| &d.kind), Some(TypeKind::Alias(_))))
                    .collect();
                Some((name.as_str(), aliases))
            }
            _ => None,
        })
        .collect();
    let component = strongly_connected(&graph);
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for c in component.values() {
        *sizes.entry(*c).or_default() += 1;
    }
    for (name, targets) in &graph {
        if sizes[&component[name]] > 1 || targets.contains(name) {
            errors.push(&defs[*name].pointer, "this schema refers to itself through `$ref`s with no object in between");
        }
    }
}
/// Marks every struct field and union variant that contains its own type without indirection
/// (only `Vec` and maps give indirection), so that it is stored in a `Box`.
pub fn box_recursive_fields(defs: &mut BTreeMap<String, TypeDef>) {
    let children: BTreeMap<String, BTreeSet<String>> =
        defs.iter().map(|(name, def)| (name.clone(), direct_children(&def.kind))).collect();
    let graph: BTreeMap<&str, BTreeSet<&str>> =
        children.iter().map(|(name, c)| (name.as_str(), c.iter().map(String::as_str).collect())).collect();
    // A field of S holding T by value needs a Box exactly when T leads back to S, that is when
    // both are in one strongly connected component (the field itself is the edge S → T).
    let component = strongly_connected(&graph);
    let cyclic = |from: &str, to: &str| component.get(from).is_some_and(|c| component.get(to) == Some(c));
    let mut marks: Vec<(String, usize)> = Vec::new();
    for (name, def) in defs.iter() {
        let targets: Vec<Option<&str>> = match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| named(&f.ty)).collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| Some(v.type_name.as_str())).collect(),
            TypeKind::Untagged(u) => u.variants.iter().map(|v| named(&v.ty)).collect(),
            TypeKind::Enum(_) | TypeKind::ValueEnum(_) | TypeKind::Alias(_) => Vec::new(),
        };
        for (i, target) in targets.into_iter().enumerate() {
            if target.is_some_and(|t| cyclic(name, t)) {
                marks.push((name.clone(), i));
            }
        }
    }
    for (name, i) in marks {
        match defs.get_mut(&name).map(|d| &mut d.kind) {
            Some(TypeKind::Struct(s)) => s.fields[i].boxed = true,
            Some(TypeKind::Union(u)) => u.variants[i].boxed = true,
            Some(TypeKind::Untagged(u)) => u.variants[i].boxed = true,
            _ => {}
        }
    }
}

/// The type name a reference holds by value (itself, or inside an `Option`), if any.
fn named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n),
        TypeRef::OrNull(inner) => named(inner),
        _ => None,
    }
}

/// The strongly connected component of every node (Tarjan's algorithm, with an explicit stack so
/// that a long chain of types cannot overflow the real one). Edges to unknown nodes are ignored.
fn strongly_connected<'a>(graph: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> BTreeMap<&'a str, usize> {
    let nodes: Vec<&str> = graph.keys().copied().collect();
    let index_of: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let adjacent: Vec<Vec<usize>> =
        nodes.iter().map(|n| graph[n].iter().filter_map(|m| index_of.get(m).copied()).collect()).collect();
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; nodes.len()];
    let mut low = vec![0; nodes.len()];
    let mut on_stack = vec![false; nodes.len()];
    let mut component = vec![0; nodes.len()];
    let (mut stack, mut next_index, mut next_component) = (Vec::new(), 0, 0);
    for root in 0..nodes.len() {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, how many of its edges are done)
        let mut work = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, done)) = work.last() {
            if let Some(&w) = adjacent[v].get(done) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    nodes.into_iter().zip(component).collect()
}

/// Types a definition holds by value (not behind a `Vec` or a map).
fn direct_children(kind: &TypeKind) -> BTreeSet<String> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| named(&f.ty).map(str::to_owned)).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| v.type_name.clone()).collect(),
        TypeKind::Untagged(u) => u.variants.iter().filter_map(|v| named(&v.ty).map(str::to_owned)).collect(),
        TypeKind::Alias(TypeRef::Named(n)) => BTreeSet::from([n.clone()]),
        TypeKind::Alias(TypeRef::OrNull(inner)) => named(inner).map(str::to_owned).into_iter().collect(),
        TypeKind::Alias(_) | TypeKind::Enum(_) | TypeKind::ValueEnum(_) => BTreeSet::new(),
    }
}

/// Pushes every type name mentioned anywhere in `ty`.
fn named_in<'a>(ty: &'a TypeRef, out: &mut Vec<&'a str>) {
    match ty {
        TypeRef::Named(n) => out.push(n),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::OrNull(inner) => named_in(inner, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn components_group_cycles_and_split_the_rest() {
        let graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::from([
            ("a", BTreeSet::from(["b"])),
            ("b", BTreeSet::from(["c", "missing"])),
            ("c", BTreeSet::from(["a"])),
            ("d", BTreeSet::from(["a", "d"])),
            ("e", BTreeSet::new()),
        ]);
        let c = strongly_connected(&graph);
        assert!(c["a"] == c["b"] && c["b"] == c["c"]);
        assert_ne!(c["d"], c["a"]);
        assert_ne!(c["e"], c["d"]);
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let names: Vec<String> = (0..100_000).map(|i| format!("n{i}")).collect();
        let graph: BTreeMap<&str, BTreeSet<&str>> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), names.get(i + 1).map(|m| BTreeSet::from([m.as_str()])).unwrap_or_default()))
            .collect();
        let c = strongly_connected(&graph);
        assert_eq!(c.values().collect::<BTreeSet<_>>().len(), 100_000);
    }
}
