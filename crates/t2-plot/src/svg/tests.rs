//! The compacted SVG draws what plotters wrote: each test reads the compacted text back into the shapes it draws
//! (classes resolved, paths split into their subpaths, markers into circles) and compares them with plotters'.

use std::collections::HashMap;

use super::parse::{parse, parse_element};
use super::*;

/// A shape as drawn: its kind and geometry, and every attribute that applies to it (sorted, less `opacity="1"`).
#[derive(Debug, PartialEq)]
enum Shape {
    Stroke(Vec<(i64, i64)>, Attributes),
    Circle((i64, i64), String, Attributes),
    Other(String, Attributes, Option<String>),
}

fn sorted(mut attributes: Attributes) -> Attributes {
    attributes.retain(|(n, v)| !(n == "opacity" && v == "1"));
    attributes.sort();
    attributes
}

fn shape(element: Element, shared: &Attributes) -> Shape {
    let attributes = |keep: &dyn Fn(&str) -> bool| {
        let own = element.attributes.iter().filter(|(n, _)| keep(n)).cloned();
        sorted(shared.iter().cloned().chain(own).collect())
    };
    let whole = |name: &str| element.attribute(name).unwrap().parse::<i64>().unwrap();
    match element.tag.as_str() {
        "line" => Shape::Stroke(
            vec![(whole("x1"), whole("y1")), (whole("x2"), whole("y2"))],
            attributes(&|n| !["x1", "y1", "x2", "y2"].contains(&n)),
        ),
        "polyline" => Shape::Stroke(
            points(element.attribute("points").unwrap()),
            attributes(&|n| n != "points"),
        ),
        "circle" => Shape::Circle(
            (whole("cx"), whole("cy")),
            element.attribute("r").unwrap().to_string(),
            attributes(&|n| !["cx", "cy", "r"].contains(&n)),
        ),
        _ => Shape::Other(element.tag.clone(), attributes(&|_| true), element.body.clone()),
    }
}

fn points(text: &str) -> Vec<(i64, i64)> {
    text.split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

/// The shapes plotters' `svg` draws, in order.
fn as_written(svg: &str) -> Vec<Shape> {
    let (_, elements, _) = parse(svg).unwrap();
    elements.into_iter().map(|e| shape(e, &Vec::new())).collect()
}

/// The attributes of any tag's start tag (`<name a="1" …>` or `…/>`).
fn start_tag(line: &str) -> Attributes {
    let after_name = line.find(' ').map_or("", |at| &line[at..]);
    let end = after_name.find('>').unwrap();
    let attributes = after_name[..end].trim_end_matches('/');
    parse_element(&format!("<rect{attributes}/>"))
        .unwrap()
        .0
        .attributes
}

/// A path's subpaths, absolute.
fn subpaths(d: &str) -> Vec<Vec<(i64, i64)>> {
    let mut tokens = Vec::new();
    let mut number = String::new();
    for c in d.chars() {
        if c.is_ascii_digit() || (c == '-' && number.is_empty()) {
            number.push(c);
            continue;
        }
        if !number.is_empty() {
            tokens.push(number.clone());
            number.clear();
        }
        if c == '-' {
            number.push(c);
        } else if c.is_ascii_alphabetic() {
            tokens.push(c.to_string());
        }
    }
    if !number.is_empty() {
        tokens.push(number);
    }
    let mut out: Vec<Vec<(i64, i64)>> = Vec::new();
    let mut at = (0, 0);
    let mut command = 'M';
    let mut tokens = tokens.into_iter();
    while let Some(token) = tokens.next() {
        let (x, y) = match token.chars().next().unwrap() {
            c if c.is_ascii_alphabetic() => {
                command = c;
                continue;
            }
            _ => (
                token.parse::<i64>().unwrap(),
                tokens.next().unwrap().parse::<i64>().unwrap(),
            ),
        };
        let p = if command.is_ascii_lowercase() {
            (at.0 + x, at.1 + y)
        } else {
            (x, y)
        };
        match command {
            'M' | 'm' => {
                out.push(vec![p]);
                command = if command == 'm' { 'l' } else { 'L' };
            }
            _ => out.last_mut().unwrap().push(p),
        }
        at = p;
    }
    out
}

/// The shapes a compacted `svg` draws, in order.
fn as_compacted(svg: &str) -> Vec<Shape> {
    let mut classes: HashMap<String, Attributes> = HashMap::new();
    let mut markers: HashMap<String, (String, Attributes)> = HashMap::new();
    let mut shared = Attributes::new();
    let mut out = Vec::new();
    for line in svg.lines() {
        if let Some(rules) = line.strip_prefix("<style>") {
            for rule in rules
                .trim_end_matches("</style>")
                .split('}')
                .filter(|r| !r.is_empty())
            {
                let (selector, declarations) = rule.split_once('{').unwrap();
                let attributes = declarations
                    .split(';')
                    .map(|d| {
                        let (n, v) = d.split_once(':').unwrap();
                        (n.to_string(), v.trim_end_matches("px").to_string())
                    })
                    .collect();
                classes.insert(selector.rsplit_once(" .").unwrap().1.to_string(), attributes);
            }
        } else if line.starts_with("<marker") {
            let marker = start_tag(line);
            let circle = &line[line.find("<circle").unwrap()..];
            let mut attributes = start_tag(circle);
            let r = attributes.iter().find(|(n, _)| n == "r").unwrap().1.clone();
            attributes.retain(|(n, _)| !["cx", "cy", "r"].contains(&n.as_str()));
            let id = marker.iter().find(|(n, _)| n == "id").unwrap().1.clone();
            markers.insert(id, (r, sorted(attributes)));
        } else if line.starts_with("<g") {
            shared = start_tag(line)
                .into_iter()
                .flat_map(|(n, v)| {
                    if n == "class" {
                        classes[&v].clone()
                    } else {
                        vec![(n, v)]
                    }
                })
                .collect();
        } else if line == "</g>" {
            shared.clear();
        } else if line.starts_with("<path") {
            let attributes = start_tag(line);
            let d = &attributes.iter().find(|(n, _)| n == "d").unwrap().1;
            let class = attributes
                .iter()
                .find(|(n, _)| n == "class")
                .map(|(_, c)| &classes[c]);
            let marker = class.and_then(|c| c.iter().find(|(n, _)| n == "marker-mid"));
            for subpath in subpaths(d) {
                match marker {
                    Some((_, url)) => {
                        let (r, attributes) = &markers[url.trim_start_matches("url(#").trim_end_matches(')')];
                        out.extend(
                            subpath
                                .iter()
                                .map(|p| Shape::Circle(*p, r.clone(), attributes.clone())),
                        );
                    }
                    None => {
                        let own = class.cloned().unwrap_or_default();
                        out.push(Shape::Stroke(
                            subpath,
                            sorted(shared.iter().cloned().chain(own).collect()),
                        ));
                    }
                }
            }
        } else if let Some((element, _)) = parse_element(line) {
            let mut element = element;
            let mut own = shared.clone();
            if let Some(at) = element.attributes.iter().position(|(n, _)| n == "class") {
                own.extend(classes[&element.attributes.remove(at).1].clone());
            }
            out.push(shape(element, &own));
        }
    }
    out
}

const HEAD: &str = "<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\">\n";

#[test]
fn a_figure_draws_the_same_shapes_with_the_same_attributes_less_repeats() {
    let svg = format!(
        "{HEAD}\
        <rect x=\"0\" y=\"0\" width=\"10\" height=\"10\" opacity=\"1\" fill=\"#FFFFFF\" stroke=\"none\"/>\n\
        <circle cx=\"3\" cy=\"4\" r=\"2\" opacity=\"1\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>\n\
        <circle cx=\"5\" cy=\"4\" r=\"2\" opacity=\"1\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>\n\
        <circle cx=\"3\" cy=\"4\" r=\"2\" opacity=\"1\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>\n\
        <circle cx=\"5\" cy=\"9\" r=\"2\" opacity=\"1\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>\n\
        <circle cx=\"1\" cy=\"1\" r=\"3\" opacity=\"1\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>\n\
        <polygon opacity=\"0.2\" fill=\"#1F77B4\" points=\"1,1 2,2 3,1 \"/>\n\
        <polygon opacity=\"0.2\" fill=\"#1F77B4\" points=\"1,1 2,2 3,1 \"/>\n\
        <circle cx=\"3\" cy=\"4\" r=\"2\" opacity=\"1\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>\n\
        <polyline fill=\"none\" opacity=\"1\" stroke=\"#D62728\" stroke-width=\"1\" points=\"1,8 4,6 9,7 \"/>\n\
        <line opacity=\"1\" fill=\"none\" stroke=\"#D62728\" stroke-width=\"1\" x1=\"2\" y1=\"2\" x2=\"2\" y2=\"9\"/>\n\
        <polyline fill=\"none\" opacity=\"1\" stroke=\"#D62728\" stroke-width=\"1\" points=\"0,0 10,10 \"/>\n\
        <text x=\"5\" y=\"8\" dy=\"0.76em\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"12.5\" opacity=\"1\" fill=\"#000000\">\n\
        N &lt; 1e9\n\
        </text>\n\
        </svg>\n"
    );
    let small = compact(&svg);
    let mut expected = as_written(&svg);
    // The second circle at (3, 4) of the first run goes; the translucent polygon twice stays twice; the circle
    // after the polygons is in a run of its own and stays.
    expected.remove(3);
    assert_eq!(as_compacted(&small), expected, "{small}");
    // Three circles of radius 2 in a row draw as one marked path, the polylines and the line as one path.
    assert_eq!(small.matches("<marker").count(), 1, "{small}");
    assert_eq!(small.matches("<path").count(), 2, "{small}");
    assert!(
        small.contains("d=\"M1 8l3-2 5 1m-7-5 0 7m-2-9 10 10\""),
        "{small}"
    );
    assert!(
        small.contains("<text class=\""),
        "a lone text carries its class: {small}"
    );
    assert!(small.contains(">N &lt; 1e9</text>"), "{small}");
    assert!(!small.contains("opacity=\"1\""));
    assert!(small.starts_with("<svg id=\"t2-") && small.ends_with("</svg>\n"));
}

#[test]
fn translucent_dashed_or_filled_runs_are_not_merged() {
    let svg = format!(
        "{HEAD}\
        <polyline fill=\"none\" stroke=\"#000000\" stroke-dasharray=\"5,3\" points=\"1,1 2,2 \"/>\n\
        <polyline fill=\"none\" stroke=\"#000000\" stroke-dasharray=\"5,3\" points=\"3,3 4,4 \"/>\n\
        <polyline fill=\"#000000\" stroke=\"#000000\" points=\"1,1 2,2 3,1 \"/>\n\
        <polyline fill=\"#000000\" stroke=\"#000000\" points=\"3,3 4,4 5,3 \"/>\n\
        <circle cx=\"3\" cy=\"4\" r=\"2\" opacity=\"0.5\" fill=\"#000000\"/>\n\
        <circle cx=\"4\" cy=\"4\" r=\"2\" opacity=\"0.5\" fill=\"#000000\"/>\n\
        <circle cx=\"5\" cy=\"4\" r=\"2\" opacity=\"0.5\" fill=\"#000000\"/>\n\
        <circle cx=\"5.5\" cy=\"4\" r=\"2\" fill=\"#000000\"/>\n\
        <circle cx=\"6\" cy=\"4\" r=\"2\" fill=\"#000000\"/>\n\
        <circle cx=\"7\" cy=\"4\" r=\"2\" fill=\"#000000\"/>\n\
        </svg>\n"
    );
    let small = compact(&svg);
    assert!(!small.contains("<path") && !small.contains("<marker"), "{small}");
    assert_eq!(small.matches("<polyline").count(), 4);
    assert_eq!(small.matches("<circle").count(), 6);
}

#[test]
fn what_plotters_does_not_write_is_left_as_it_is() {
    for odd in [
        "<svg><path d=\"M0 0\"/></svg>",
        "<svg><text x=\"1\">a<tspan>b</tspan></text></svg>",
        "<svg><rect x=1/></svg>",
        "no svg here",
    ] {
        assert_eq!(compact(odd), odd);
    }
}
