//! The report as one self-contained HTML page: styles and SVG charts
//! inline, no scripts, no fonts or images fetched, so it opens the same in
//! any browser, offline, and prints.

use std::fmt::Write as _;

use super::model::{Breakdown, SituationReport};
use super::tables::cell_text;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em auto;max-width:1100px;color:#222}\
h1{font-size:1.5em;border-bottom:3px solid #b22;padding-bottom:.3em}h2{font-size:1.15em;margin-top:2em;color:#b22}\
table{border-collapse:collapse;width:100%;font-size:.85em}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}\
th{background:#f3f3f3}td.n{text-align:right}.kpi{display:flex;gap:1em;flex-wrap:wrap}\
.kpi div{border:1px solid #ddd;padding:.6em 1em;min-width:9em}.kpi b{font-size:1.6em;display:block}\
.up{color:#b22}.down{color:#272}.note{color:#666;font-size:.85em}svg text{font-size:11px}";

const COLOURS: [&str; 3] = ["#c0392b", "#2471a3", "#7d3c98"];

/// Daily counts of the three sources as lines.
fn trend_svg(report: &SituationReport) -> String {
    let (w, h, pad) = (1000.0, 240.0, 36.0);
    let days = report.trend.len().max(1);
    let max = report
        .trend
        .iter()
        .map(|t| t.hotline.max(t.alarm).max(t.petition))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let x = |i: usize| pad + (w - 2.0 * pad) * i as f64 / (days.max(2) - 1) as f64;
    let y = |v: u32| h - pad - (h - 2.0 * pad) * v as f64 / max;
    let mut s = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {w} {h}' width='100%' role='img' aria-label='每日走势'>"
    );
    let _ = write!(
        s,
        "<line x1='{pad}' y1='{0}' x2='{1}' y2='{0}' stroke='#999'/><text x='2' y='{2}'>{max}</text><text x='2' y='{0}'>0</text>",
        h - pad,
        w - pad,
        pad + 4.0
    );
    type Count = fn(&super::model::TrendDay) -> u32;
    let series: [(&str, Count); 3] = [
        ("12345热线", |t| t.hotline),
        ("110警情", |t| t.alarm),
        ("信访", |t| t.petition),
    ];
    for (k, (name, get)) in series.iter().enumerate() {
        let points: Vec<String> = report
            .trend
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{:.1},{:.1}", x(i), y(get(t))))
            .collect();
        let _ = write!(
            s,
            "<polyline fill='none' stroke='{}' stroke-width='2' points='{}'/><text x='{}' y='14' fill='{}'>{}</text>",
            COLOURS[k],
            points.join(" "),
            pad + 120.0 * k as f64,
            COLOURS[k],
            esc(name)
        );
    }
    for (i, t) in report.trend.iter().enumerate() {
        if i % 5 == 0 || i + 1 == days {
            let _ = write!(
                s,
                "<text x='{:.1}' y='{}'>{}</text>",
                x(i) - 14.0,
                h - 12.0,
                esc(&t.day[5..])
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars of this period against the one before.
fn bars_svg(rows: &[Breakdown], label: &str) -> String {
    let rows = &rows[..rows.len().min(15)];
    let (w, bar, name_w) = (1000.0, 18.0, 260.0);
    let h = 20.0 + rows.len() as f64 * (bar + 6.0);
    let max = rows
        .iter()
        .map(|r| r.count.max(r.previous))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let scale = (w - name_w - 60.0) / max;
    let mut s = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {w} {h}' width='100%' role='img' aria-label='{}'>",
        esc(label)
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 10.0 + i as f64 * (bar + 6.0);
        let _ = write!(
            s,
            "<text x='0' y='{:.1}'>{}</text><rect x='{name_w}' y='{y:.1}' width='{:.1}' height='{:.1}' fill='#ccc'/>\
             <rect x='{name_w}' y='{:.1}' width='{:.1}' height='{:.1}' fill='{}'/><text x='{:.1}' y='{:.1}'>{}</text>",
            y + 13.0,
            esc(&r.name),
            r.previous as f64 * scale,
            bar,
            y + 4.0,
            r.count as f64 * scale,
            bar - 8.0,
            COLOURS[0],
            name_w + r.count.max(r.previous) as f64 * scale + 6.0,
            y + 13.0,
            r.count
        );
    }
    s.push_str("</svg><p class='note'>红：本期　灰：上期</p>");
    s
}

pub fn render(report: &SituationReport) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{0}</title><style>{STYLE}</style></head><body><h1>{0}</h1>\
         <p class='note'>统计截至 {1}（北京时间）　生成于 {2}</p>",
        esc(&report.title),
        esc(&report.as_of),
        esc(&report.generated_at)
    );
    s.push_str("<h2>总体情况</h2><div class='kpi'>");
    for h in &report.headline {
        let change = match h.change_pct {
            Some(c) if c > 0.0 => format!("<span class='up'>环比 +{c}%</span>"),
            Some(c) if c < 0.0 => format!("<span class='down'>环比 {c}%</span>"),
            Some(_) => "环比 持平".to_string(),
            None => "环比 —".to_string(),
        };
        let year = match h.year_change_pct {
            Some(c) => format!("同比 {c:+}%"),
            None => "同比 —".to_string(),
        };
        let _ = write!(
            s,
            "<div>{}<b>{}</b>{change}<br>{year}</div>",
            esc(&h.name),
            h.count
        );
    }
    s.push_str("</div>");
    for note in &report.notes {
        let _ = write!(s, "<p class='note'>说明：{}</p>", esc(note));
    }
    for table in report.tables() {
        if table.key == "headline" {
            continue;
        }
        let _ = write!(s, "<h2>{}</h2>", esc(table.title));
        match table.key {
            "trend" => s.push_str(&trend_svg(report)),
            "areas" => s.push_str(&bars_svg(&report.areas, table.title)),
            "categories" => s.push_str(&bars_svg(&report.categories, table.title)),
            _ => {}
        }
        if table.key == "trend" {
            continue;
        }
        if table.rows.is_empty() {
            s.push_str("<p class='note'>本期无。</p>");
            continue;
        }
        s.push_str("<table><thead><tr>");
        for h in &table.header {
            let _ = write!(s, "<th>{}</th>", esc(h));
        }
        s.push_str("</tr></thead><tbody>");
        for row in &table.rows {
            s.push_str("<tr>");
            for c in row {
                let class = match c {
                    super::model::Cell::Text(_) | super::model::Cell::Empty => "",
                    _ => " class='n'",
                };
                let _ = write!(s, "<td{class}>{}</td>", esc(&cell_text(c)));
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody></table>");
    }
    s.push_str("</body></html>\n");
    s
}
