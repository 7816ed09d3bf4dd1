//! `report.html`: one self-contained page. Verdict and the profile x capability grid at the top,
//! counts per grade, waivers, a filterable case table, and the details of every case that did not
//! simply pass (expected vs observed, rules with their spec reference, request, reply, vector
//! source, and the images of render and scan cases).
//!
//! The page loads nothing: styles and the small filter script are inline, images are `data:`
//! URIs, and a Content-Security-Policy forbids any other source, so it works offline and hostile
//! text in a reply cannot make it fetch anything. maud escapes every value. Without JavaScript the
//! page shows everything; the script only filters.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::diff;
use super::grid::{Grid, cell_label, verdict_label};
use super::model::{CaseReport, CellVerdict, Grade, Report, Verdict};
use super::png::{self, EmbeddedPng};
use super::text;

const CSS: &str = include_str!("html.css");
const JS: &str = include_str!("html.js");
const CSP: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// The longest JSON shown in a details block.
const JSON_CHARS: usize = 20_000;

/// The report as one HTML page.
pub fn to_html(report: &Report) -> String {
    let title = format!(
        "qrcert: {} — {}",
        verdict_label(report.verdict),
        text::implementation(report)
    );
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                (header(report))
                (grid(report))
                (roles(report))
                (directions(report))
                (counts(report))
                (ladder(report))
                (waivers(report))
                (cases(report))
                (details(report))
                footer {
                    "Made by " (report.harness.name) " " (report.harness.version)
                    " from the canonical report.json (report format " (report.report_format) ")."
                }
                script { (PreEscaped(JS)) }
            }
        }
    };
    page.into_string()
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Certified => "certified",
        Verdict::NotCertified => "not_certified",
    }
}

fn header(r: &Report) -> Markup {
    let imp = &r.implementation;
    html! {
        header #verdict class={ "verdict " (verdict_class(r.verdict)) } data-verdict=(verdict_class(r.verdict)) {
            h1 #verdict-label { (verdict_label(r.verdict)) }
            p #verdict-reason { (r.verdict_reason) }
            p { "Implementation " strong #implementation { (imp.name) " " (imp.version) }
                " via " (imp.adapter.transport) " (" (imp.adapter.target) ")" }
            p.identity {
                "Suite " strong { (r.suite.version) }
                @if let Some(e) = &r.suite.effective { " (effective " (e) ")" }
                " · sha256 " code #suite-hash title=(r.suite.sha256) { (text::short_hash(&r.suite.sha256)) }
                " · rules " (r.suite.rules_version)
                " · " (r.harness.name) " " (r.harness.version)
                " · clock " time #clock { (r.clock) }
            }
            @let sel = &r.selection;
            p.identity {
                "Selection: roles " (join(&sel.roles))
                @if let Some(t) = &sel.tags { " · tags " code { (t) } }
                @if !sel.vectors.is_empty() { " · vectors " (sel.vectors.join(", ")) }
                @if sel.smoke { " · smoke subset" }
                @if let Some(s) = &sel.shard { " · shard " (s) }
            }
        }
    }
}

fn join(items: &[String]) -> String {
    if items.is_empty() {
        "all".into()
    } else {
        items.join(", ")
    }
}

fn grid(r: &Report) -> Markup {
    let g = Grid::of(r);
    html! {
        section #grid {
            h2 { "Certification by profile and capability" }
            @if g.profiles.is_empty() {
                p { "No cases ran." }
            } @else {
                table {
                    thead { tr { th { "profile" } @for c in &g.capabilities { th { (c) } } } }
                    tbody {
                        @for p in &g.profiles {
                            tr {
                                th { (p) }
                                @for c in &g.capabilities {
                                    @match g.cell(*p, *c) {
                                        Some(cell) => {
                                            @let class = match cell.verdict {
                                                CellVerdict::Certified => "cell-certified",
                                                CellVerdict::NotCertified => "cell-not_certified",
                                                CellVerdict::NotClaimed => "cell-not_claimed",
                                            };
                                            td class=(class) data-cell={ (p) "/" (c) } title=(cell.reason) {
                                                (cell_label(cell.verdict))
                                                " (" (cell.counts.total()) ")"
                                            }
                                        }
                                        None => { td.cell-none { "·" } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Which roles hold for which profile, and why (not).
fn roles(r: &Report) -> Markup {
    html! {
        @if !r.roles.is_empty() {
            section #roles {
                h2 { "Certification by role" }
                table {
                    thead { tr { th { "role" } th { "profile" } th { "certificate" } th { "why" } } }
                    tbody {
                        @for role in &r.roles {
                            tr data-role={ (role.role) "/" (role.profile) } data-verdict=(verdict_class(role.verdict)) {
                                td { (role.role) }
                                td { (role.profile) }
                                td class={ "cell-" (verdict_class(role.verdict)) } {
                                    @match role.verdict {
                                        Verdict::Certified => { "certified" }
                                        Verdict::NotCertified => { "not certified" }
                                    }
                                }
                                td { (role.reason) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The cross-border certificate, one row per direction; each links to its cases.
fn directions(r: &Report) -> Markup {
    let cap = |d: &super::model::DirectionCertificate, k: crate::Capability| {
        d.cells
            .iter()
            .find(|c| c.capability == k)
            .map_or("·".to_owned(), |c| {
                format!("{}/{}", c.counts.get(Grade::Pass), c.counts.total())
            })
    };
    html! {
        @if !r.directions.is_empty() {
            section #directions {
                h2 { "Cross-border certificate, by direction" }
                table {
                    thead { tr { th { "wallet" } th { "codes" } th { "certificate" } th { "parse" } th { "validate" } th { "generate" } th { "why" } } }
                    tbody {
                        @for d in &r.directions {
                            tr data-direction=(direction_key(Some(d.direction))) data-verdict=(verdict_class(d.verdict)) {
                                td { (d.direction.wallet) }
                                td { (d.direction.code) }
                                td class={ "cell-" (verdict_class(d.verdict)) } {
                                    a href={ "#direction=" (direction_key(Some(d.direction))) } {
                                        @match d.verdict {
                                            Verdict::Certified => { "certified" }
                                            Verdict::NotCertified => { "not certified" }
                                        }
                                    }
                                }
                                td { (cap(d, crate::Capability::Parse)) }
                                td { (cap(d, crate::Capability::Validate)) }
                                td { (cap(d, crate::Capability::Generate)) }
                                td { (d.reason) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The filter value of a direction (`jpqr-at-khqr`), empty for a domestic case.
fn direction_key(d: Option<crate::role::Direction>) -> String {
    d.map_or(String::new(), |d| format!("{}-at-{}", d.wallet, d.code))
}

fn counts(r: &Report) -> Markup {
    html! {
        section #counts {
            h2 { "Cases by grade (" span #total { (r.summary.total) } " in all)" }
            ul {
                @for g in Grade::ALL {
                    li class={ "grade-" (g) } data-grade=(g) {
                        span.grade { (g) } b data-count=(r.summary.grades.get(g)) { (r.summary.grades.get(g)) }
                    }
                }
            }
        }
    }
}

/// Per-rung scan counts, when ladder cases ran.
fn ladder(r: &Report) -> Markup {
    let table = super::ladder::table(&r.scan_ladder);
    html! {
        @if !table.is_empty() {
            section #ladder {
                h2 { "Scan ladder" }
                p { "Read / cases per rung of the distortion ladder. Outlined cells are required by the profile: not reading them fails. Above them a miss is INFO; a misread always fails." }
                table {
                    thead { tr { th { "profile" } th { "distortion" } @for l in 1..=5 { th { "level " (l) } } } }
                    tbody {
                        @for (profile, kinds) in &table {
                            @for (kind, levels) in kinds {
                                tr {
                                    th { (profile) }
                                    th { (kind) }
                                    @for level in levels {
                                        @match level {
                                            Some(row) => {
                                                @let class = if row.misread > 0 || (row.required && row.read < row.cases) {
                                                    "rung-fail"
                                                } else if row.read < row.cases {
                                                    "rung-miss"
                                                } else {
                                                    "rung-read"
                                                };
                                                td class={ (class) @if row.required { " rung-required" } }
                                                    data-rung={ (profile) "/" (row.rung) } { (row.cell()) }
                                            }
                                            None => { td.cell-none { "·" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn waivers(r: &Report) -> Markup {
    html! {
        section #waivers {
            h2 { "Waivers (" (r.waivers.len()) ")" }
            @if r.waivers.is_empty() {
                p { "No waivers." }
            } @else {
                table {
                    thead { tr { th { "vector" } th { "state" } th { "expects" } th { "expires" }
                                 th { "reference" } th { "cases" } th { "reason" } } }
                    tbody {
                        @for w in &r.waivers {
                            tr {
                                td { code { (w.vector) } }
                                td class={ "state-" (w.state) } {
                                    (w.state)
                                    @match w.state.as_str() {
                                        "stale" => { " — the cases pass: remove the waiver" }
                                        "expired" => { " — no longer applied" }
                                        "unused" => { " — matches no case" }
                                        _ => {}
                                    }
                                }
                                td { (w.expected_grade) }
                                td { (w.expires) }
                                td { (w.reference) }
                                td { (w.cases.join(", ")) }
                                td { (w.reason) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn search_text(c: &CaseReport) -> String {
    format!(
        "{} {} {} {} {}",
        c.id,
        c.title,
        c.message,
        c.rules.join(" "),
        c.source
    )
    .to_lowercase()
}

fn options<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> Markup {
    html! { @for i in items { option value=(i) { (i) } } }
}

fn cases(r: &Report) -> Markup {
    let g = Grid::of(r);
    let grades: Vec<Grade> = Grade::ALL
        .into_iter()
        .filter(|g| r.summary.grades.get(*g) > 0)
        .collect();
    html! {
        section #cases {
            h2 { "Cases" }
            form #filters autocomplete="off" {
                label { "grade" select name="grade" { option value="" { "all" } (options(grades)) } }
                label { "profile" select name="profile" { option value="" { "all" } (options(&g.profiles)) } }
                label { "capability" select name="capability" { option value="" { "all" } (options(&g.capabilities)) } }
                @if !r.directions.is_empty() {
                    label { "direction" select name="direction" { option value="" { "all" } (options(r.directions.iter().map(|d| direction_key(Some(d.direction))))) } }
                }
                label { "text" input type="search" name="q" placeholder="ID, title, message, rule"; }
                output #shown data-shown=(r.cases.len()) { (r.cases.len()) " of " (r.cases.len()) " cases shown" }
            }
            table #case-table {
                thead { tr { th { "case" } th { "grade" } th { "profile" } th { "capability" } th { "title" } th { "message" } } }
                tbody {
                    @for (i, c) in r.cases.iter().enumerate() {
                        tr.case data-id=(c.id) data-grade=(c.grade) data-profile=(c.profile)
                            data-capability=(c.capability) data-direction=(direction_key(c.direction)) data-text=(search_text(c)) {
                            td { @if c.grade == Grade::Pass { code { (c.id) } } @else { a href={ "#detail-" (i) } { code { (c.id) } } } }
                            td class={ "grade grade-" (c.grade) } { (c.grade) }
                            td { (c.profile) }
                            td { (c.capability) }
                            td { (c.title) }
                            td { (c.message) @if let Some(p) = photo(c) { " " a.photo href=(p) { "photo" } } }
                        }
                    }
                }
            }
        }
    }
}

fn details(r: &Report) -> Markup {
    let shown: Vec<(usize, &CaseReport)> = r
        .cases
        .iter()
        .enumerate()
        .filter(|(_, c)| c.grade != Grade::Pass)
        .collect();
    html! {
        section #details {
            h2 { "Cases that did not simply pass (" (shown.len()) ")" }
            @for (i, c) in shown { (detail(r, i, c)) }
        }
    }
}

fn detail(r: &Report, i: usize, c: &CaseReport) -> Markup {
    let mut images = png::find(&c.request, "request");
    images.extend(png::find(&c.reply, "reply"));
    html! {
        article class={ "detail detail-" (c.grade) } id={ "detail-" (i) } data-id=(c.id)
            data-grade=(c.grade) data-profile=(c.profile) data-capability=(c.capability)
            data-direction=(direction_key(c.direction)) data-text=(search_text(c)) {
            h3 { code { (c.id) } " — " span class={ "grade grade-" (c.grade) } { (c.grade) } " — " (c.title) }
            p.message { (c.message) }
            @if let Some(note) = text::grade_note(c) { p.note { em { (note) } } }
            dl {
                dt { "profile / capability" } dd { (c.profile) " / " (c.capability) }
                @if let Some(d) = c.direction { dt { "direction" } dd { (d) } }
                dt { "feature" } dd { (c.feature) " — " (c.scenario) }
                dt { "vector" } dd { code.source { (c.source) } }
                @if !c.refs.is_empty() { dt { "spec" } dd { (c.refs.join("; ")) } }
                @if let Some(w) = &c.waiver { dt { "waiver" } dd { code { (w) } } }
                @if let Some(p) = photo(c) { dt { "photo" } dd { a.photo href=(p) { (p) } } }
                @if let Some(e) = &c.stderr {
                    dt { "stderr" } dd { (e.bytes) " bytes written while it ran; the end of them:" pre.stderr { (e.tail) } }
                }
            }
            div.versus {
                div { h4 { "Expected" } pre.expected { (text::pretty_json(&c.expected, JSON_CHARS)) } }
                div { h4 { "Observed" } pre.observed { (text::pretty_json(&c.observed, JSON_CHARS)) } }
            }
            @let difference = difference(c);
            @if !difference.is_empty() {
                h4 { "Difference (expected → observed, payloads by data object)" }
                pre.difference { (difference) }
            }
            @if !c.rules.is_empty() {
                h4 { "Rules" }
                ul.rules {
                    @for id in &c.rules {
                        li {
                            code { (id) }
                            @if let Some(rule) = r.rules.get(id) {
                                " " strong { (rule.severity) } " · " span.ref { (rule.reference) }
                                " · " (rule.summary) " (" (rule.confidence) ")"
                            }
                        }
                    }
                }
            }
            @if !images.is_empty() {
                h4 { "Images" }
                @for img in &images { (figure(c, img)) }
            }
            details { summary { "Request" } pre.request { (text::pretty_json(&c.request, JSON_CHARS)) } }
            details { summary { "Reply" } pre.reply { (text::pretty_json(&c.reply, JSON_CHARS)) } }
        }
    }
}

/// The tester's photo of a session case (`photos/<id>.png|jpg`, beside the report), when the
/// reply names one in that shape: nothing else is ever linked.
fn photo(c: &CaseReport) -> Option<&str> {
    let p = c.reply.get("photo")?.as_str()?;
    let name = p.strip_prefix("photos/")?;
    let (stem, ext) = name.rsplit_once('.')?;
    let safe = !stem.is_empty()
        && !stem.starts_with('.')
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    (safe && matches!(ext, "png" | "jpg")).then_some(p)
}

/// Field by field, when expected and observed have the same shape (e.g. both a `payload`).
fn difference(c: &CaseReport) -> String {
    if c.grade == Grade::Pass || !diff::comparable(&c.expected, &c.observed) {
        return String::new();
    }
    let mut lines = Vec::new();
    for f in diff::field_changes(&c.expected, &c.observed)
        .iter()
        .take(100)
    {
        lines.push(format!(
            "{}: {} → {}",
            f.path,
            f.old.as_deref().unwrap_or("(absent)"),
            f.new.as_deref().unwrap_or("(absent)")
        ));
    }
    lines.join("\n")
}

fn figure(c: &CaseReport, img: &EmbeddedPng) -> Markup {
    html! {
        figure {
            @if let Some(data) = &img.data_base64 {
                img src={ "data:image/png;base64," (data) } alt={ (img.location) " of " (c.id) };
            } @else {
                p { em { "image not kept in the report (only failing images up to 256 KiB are)" } }
            }
            figcaption { (img.location) " · " (img.bytes) " bytes · sha256 " (text::short_hash(&img.sha256)) }
        }
    }
}

#[cfg(test)]
mod tests;
