//! The document's Markdown: OpenAPI says `description` fields are CommonMark
//! (<https://spec.openapis.org/oas/v3.0.3#rich-text-formatting>), rendered here by
//! pulldown-cmark (lists, links, code, emphasis, tables) with three changes that keep the
//! page safe and offline:
//!
//! - raw HTML (`<script>`, `<img onerror=...>`) is shown as text, never passed through;
//! - a link whose scheme is not `http`, `https` or `mailto` (`javascript:`, `data:`) points
//!   nowhere (`#`); a relative link or a `#fragment` is kept;
//! - an image becomes a link to it, so opening the page fetches nothing;
//!
//! and one that keeps its outline: headings move two levels down (`#` is `<h3>`), under the
//! page's own `<h1>` and `<h2>`.

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A description as HTML blocks (paragraphs, lists, code blocks, ...).
pub fn block(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, safe_events(text));
    out
}

/// A description for a table cell: one paragraph is rendered without its `<p>`; anything
/// longer keeps its blocks.
pub fn inline(text: &str) -> String {
    let events: Vec<Event<'_>> = safe_events(text).collect();
    let paragraphs = events
        .iter()
        .filter(|e| matches!(e, Event::Start(Tag::Paragraph)))
        .count();
    let one_paragraph = paragraphs == 1
        && matches!(events.first(), Some(Event::Start(Tag::Paragraph)))
        && matches!(events.last(), Some(Event::End(TagEnd::Paragraph)));
    let len = events.len();
    let mut out = String::with_capacity(text.len() * 3 / 2);
    if one_paragraph {
        html::push_html(&mut out, events.into_iter().skip(1).take(len - 2));
    } else {
        html::push_html(&mut out, events.into_iter());
    }
    out
}

fn safe_events(text: &str) -> impl Iterator<Item = Event<'_>> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(text, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }
            | Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            },
        ) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: demoted(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demoted(level))),
        other => other,
    })
}

/// The URL itself when its scheme is harmless, else `#`.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let scheme = url
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .filter(|scheme| !scheme.contains(['/', '?', '#']));
    match scheme {
        None => url,
        Some(s)
            if ["http", "https", "mailto"]
                .iter()
                .any(|ok| s.eq_ignore_ascii_case(ok)) =>
        {
            url
        }
        Some(_) => CowStr::Borrowed("#"),
    }
}

fn demoted(level: HeadingLevel) -> HeadingLevel {
    let shifted = (level as usize + 2).min(HeadingLevel::H6 as usize);
    HeadingLevel::try_from(shifted).unwrap_or(HeadingLevel::H6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_commonmark_lists_links_code_and_emphasis() {
        let html = block(
            "Intro with `<code>` and **bold**, *em*.\n\n- one\n- [two](https://example.com/a?b=1&c=2)\n\n```\nlet x = 1 < 2;\n```\n",
        );
        assert_eq!(
            html,
            "<p>Intro with <code>&lt;code&gt;</code> and <strong>bold</strong>, <em>em</em>.</p>\n\
             <ul>\n<li>one</li>\n<li><a href=\"https://example.com/a?b=1&amp;c=2\">two</a></li>\n</ul>\n\
             <pre><code>let x = 1 &lt; 2;\n</code></pre>\n"
        );
    }

    #[test]
    fn raw_html_is_text_and_unsafe_links_go_nowhere() {
        let html = block("<script>alert(1)</script>\n\nHi <b onclick=x>there</b> [x](javascript:alert(1)) [y](/docs#op-a) [m](mailto:a@b.c)");
        assert!(!html.contains("<script") && !html.contains("<b "), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("<a href=\"#\">x</a>"), "{html}");
        assert!(html.contains("<a href=\"/docs#op-a\">y</a>"), "{html}");
        assert!(html.contains("<a href=\"mailto:a@b.c\">m</a>"), "{html}");
    }

    #[test]
    fn images_become_links_and_headings_move_down() {
        let html = block("# Title\n\n![diagram](https://example.com/d.png)");
        assert_eq!(
            html,
            "<h3>Title</h3>\n<p><a href=\"https://example.com/d.png\">diagram</a></p>\n"
        );
    }

    #[test]
    fn inline_drops_the_paragraph_of_one_paragraph_only() {
        assert_eq!(
            inline("a `<b>` **c**"),
            "a <code>&lt;b&gt;</code> <strong>c</strong>"
        );
        assert_eq!(inline("x\n\ny"), "<p>x</p>\n<p>y</p>\n");
        assert_eq!(inline(""), "");
    }
}
