//! `oneOf`/`anyOf` alternatives (paired by the component they name, then by
//! identical content, then in order), `discriminator` and `not`. (`allOf` is
//! merged into the node by [`super::view`].)

use super::view::View;
use super::{canonical::fingerprint, compare as compare_schema, Effect, Node, Place};
use crate::context::{follow, Ctx, Located};
use crate::finding::Side;
use crate::rules::Rule;

/// The keywords of the node itself.
pub(crate) fn compare_keywords(node: &mut Node<'_, '_>) {
    let (old, new) = (node.old, node.new);
    let kind = |v: &View<'_>| match (v.one_of.is_empty(), v.any_of.is_empty()) {
        (true, true) => None,
        (false, _) => Some("oneOf"),
        (true, false) => Some("anyOf"),
    };
    let (a, b) = (kind(old), kind(new));
    if a != b {
        let show = |k: Option<&str>| k.map_or("no alternatives".to_owned(), |k| format!("`{k}`"));
        let (o, n) = (old.at.clone(), new.at.clone());
        node.change(
            Rule::CompositionChanged,
            Effect::Changed,
            &o,
            &n,
            format!("{} → {}", show(a), show(b)),
            true,
        );
    }
    for (keyword, x, y) in [
        (
            "discriminator",
            old.discriminator.clone(),
            new.discriminator.clone(),
        ),
        ("not", old.not.clone(), new.not.clone()),
    ] {
        let same = match (&x, &y) {
            (None, None) => true,
            (Some(x), Some(y)) => fingerprint(x.value) == fingerprint(y.value),
            _ => false,
        };
        if !same {
            let o = x.map_or_else(|| old.at.clone(), |k| k.at);
            let n = y.map_or_else(|| new.at.clone(), |k| k.at);
            node.change(
                Rule::CompositionChanged,
                Effect::Changed,
                &o,
                &n,
                format!("`{keyword}` changed"),
                false,
            );
        }
    }
}

/// Pairs the alternatives of two nodes that both have some; compares each
/// pair, and reports the ones left over as added or removed.
pub(crate) fn compare_alternatives<'a>(
    ctx: &mut Ctx<'a>,
    old: &View<'a>,
    new: &View<'a>,
    side: Side,
) {
    let olds: Vec<Located<'a>> = old.one_of.iter().chain(&old.any_of).cloned().collect();
    let news: Vec<Located<'a>> = new.one_of.iter().chain(&new.any_of).cloned().collect();
    if olds.is_empty() || news.is_empty() {
        return;
    }
    let describe = |root, alt: &Located<'a>| {
        let (target, component) = follow(root, alt.clone());
        (component, fingerprint(target.value))
    };
    let old_keys: Vec<_> = olds.iter().map(|a| describe(ctx.old, a)).collect();
    let new_keys: Vec<_> = news.iter().map(|a| describe(ctx.new, a)).collect();
    let mut old_free: Vec<bool> = vec![true; olds.len()];
    let mut new_free: Vec<bool> = vec![true; news.len()];
    let mut pairs = Vec::new();
    // 1. The same component (or its renamed self); 2. the same content.
    let same_component = |ctx: &Ctx<'a>, i: usize, j: usize| match (&old_keys[i].0, &new_keys[j].0)
    {
        (Some(a), Some(b)) => ctx.renames.get(a).unwrap_or(a) == b,
        _ => false,
    };
    let same_content = |_: &Ctx<'a>, i: usize, j: usize| old_keys[i].1 == new_keys[j].1;
    for matches in [
        &same_component as &dyn Fn(&Ctx<'a>, usize, usize) -> bool,
        &same_content,
    ] {
        for (i, old_is_free) in old_free.iter_mut().enumerate() {
            if !*old_is_free {
                continue;
            }
            if let Some(j) = (0..news.len()).find(|&j| new_free[j] && matches(ctx, i, j)) {
                *old_is_free = false;
                new_free[j] = false;
                pairs.push((i, j));
            }
        }
    }
    // 3. As many left on both sides: in order.
    let old_left: Vec<usize> = (0..olds.len()).filter(|&i| old_free[i]).collect();
    let new_left: Vec<usize> = (0..news.len()).filter(|&j| new_free[j]).collect();
    if old_left.len() == new_left.len() {
        pairs.extend(old_left.iter().copied().zip(new_left.iter().copied()));
    } else {
        for &i in &old_left {
            let (severity, why) = super::variant_removed(side);
            ctx.emit(
                Rule::AlternativeRemoved,
                severity,
                &olds[i].at,
                &new.at,
                Some(side),
                format!("an alternative was removed: {why}"),
            );
        }
        for &j in &new_left {
            let (severity, why) = super::variant_added(side);
            ctx.emit(
                Rule::AlternativeAdded,
                severity,
                &old.at,
                &news[j].at,
                Some(side),
                format!("a new alternative: {why}"),
            );
        }
    }
    pairs.sort_unstable();
    for (i, j) in pairs {
        compare_schema(ctx, olds[i].clone(), news[j].clone(), side, Place::Value);
    }
}
