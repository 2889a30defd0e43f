//! Row filter expressions such as `tokens <= 7e10`, `k == 1 and params > 1e8` or
//! `task == "gsm8k" or (loss < 3 and not tokens_per_param > 100)`.
//!
//! Grammar (keywords case-insensitive, `&&`/`||`/`!` accepted for `and`/`or`/`not`; `and` binds tighter than
//! `or`):
//! ```text
//! expr       := conjunction ("or" conjunction)*
//! conjunction:= unary ("and" unary)*
//! unary      := "not" unary | "(" expr ")" | comparison
//! comparison := FIELD OP VALUE          OP ∈ < <= > >= == != (= is read as ==)
//! ```
//! FIELD is one of [`Field`]'s names (`params tokens k loss pass_at_k weight train_flops tokens_per_param
//! task`) or the name of an extra column of the table; VALUE is a number (`7e10`, `-1.5`) or a quoted string.
//! Numeric fields compare numerically; `task` and extra columns compare as text, or numerically when both the
//! value and the cell parse as numbers.

mod selection;

use std::fmt;

use crate::RunTable;

pub use selection::{Exclusion, RowSelection, Selected};

/// What a comparison reads from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// N.
    Params,
    /// D.
    Tokens,
    /// k.
    K,
    /// `loss`.
    Loss,
    /// `pass_at_k`.
    PassAtK,
    /// `weight`.
    Weight,
    /// C = 6·N·D.
    TrainFlops,
    /// D / N.
    TokensPerParam,
    /// `task`.
    Task,
    /// An extra (carried-through) column of the table, by name.
    Column(String),
}

impl Field {
    fn from_name(name: &str) -> Field {
        match name {
            "params" => Field::Params,
            "tokens" => Field::Tokens,
            "k" => Field::K,
            "loss" => Field::Loss,
            "pass_at_k" => Field::PassAtK,
            "weight" => Field::Weight,
            "train_flops" => Field::TrainFlops,
            "tokens_per_param" => Field::TokensPerParam,
            "task" => Field::Task,
            other => Field::Column(other.to_string()),
        }
    }

    fn name(&self) -> &str {
        match self {
            Field::Params => "params",
            Field::Tokens => "tokens",
            Field::K => "k",
            Field::Loss => "loss",
            Field::PassAtK => "pass_at_k",
            Field::Weight => "weight",
            Field::TrainFlops => "train_flops",
            Field::TokensPerParam => "tokens_per_param",
            Field::Task => "task",
            Field::Column(name) => name,
        }
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Eq => "==",
            Op::Ne => "!=",
        }
    }

    fn holds(self, ordering: Option<std::cmp::Ordering>) -> bool {
        use std::cmp::Ordering::*;
        match (self, ordering) {
            (Op::Ne, None) => true,
            (_, None) => false,
            (Op::Lt, Some(o)) => o == Less,
            (Op::Le, Some(o)) => o != Greater,
            (Op::Gt, Some(o)) => o == Greater,
            (Op::Ge, Some(o)) => o != Less,
            (Op::Eq, Some(o)) => o == Equal,
            (Op::Ne, Some(o)) => o != Equal,
        }
    }
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number, e.g. `7e10`.
    Number(f64),
    /// Text in quotes, e.g. `"qa"`.
    Text(String),
}

/// A parsed expression tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `field op value`, e.g. `tokens <= 7e10`.
    Compare {
        /// The column compared.
        field: Field,
        /// How.
        op: Op,
        /// With what.
        value: Value,
    },
    /// Both sides hold.
    And(Box<Expr>, Box<Expr>),
    /// Either side holds.
    Or(Box<Expr>, Box<Expr>),
    /// The expression does not hold.
    Not(Box<Expr>),
}

/// Why an expression could not be parsed or evaluated, with the expression text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError(pub String);

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FilterError {}

/// A parsed row filter; keeps its source text for reports (`Display` prints it).
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    text: String,
    expr: Expr,
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Filter {
    type Err = FilterError;
    fn from_str(text: &str) -> Result<Filter, FilterError> {
        Filter::parse(text)
    }
}

/// Written as its source text.
impl serde::Serialize for Filter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// Read from its source text (parsed again).
impl<'de> serde::Deserialize<'de> for Filter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Filter, D::Error> {
        let text = String::deserialize(d)?;
        Filter::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Filter {
    /// Parses `text`; errors say what was expected and where (1-based character column).
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        let tokens = lex(text)?;
        let mut parser = Parser {
            text,
            tokens: &tokens,
            at: 0,
            depth: 0,
            terms: 0,
        };
        let expr = parser.expr()?;
        if let Some(tok) = parser.peek() {
            return Err(parser.error_at(tok.column, "expected 'and', 'or' or the end of the expression"));
        }
        Ok(Filter {
            text: text.trim().to_string(),
            expr,
        })
    }

    /// The expression tree.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// Checks that every field the expression reads exists in `table` (e.g. `loss` needs a loss column).
    pub fn check(&self, table: &RunTable) -> Result<(), FilterError> {
        check_fields(&self.expr, table).map_err(|msg| FilterError(format!("filter '{}': {msg}", self.text)))
    }

    /// Whether row `row` of `table` satisfies the expression. Call [`Filter::check`] first: a field the table
    /// lacks compares as missing (false for every operator but `!=`).
    pub fn matches(&self, table: &RunTable, row: usize) -> bool {
        eval(&self.expr, table, row)
    }

    /// Indices of the rows that satisfy the expression, after [`Filter::check`].
    pub fn rows(&self, table: &RunTable) -> Result<Vec<usize>, FilterError> {
        self.check(table)?;
        Ok(table.indices_where(|i| self.matches(table, i)))
    }
}

fn check_fields(expr: &Expr, table: &RunTable) -> Result<(), String> {
    match expr {
        Expr::Compare { field, value, .. } => {
            let present = match field {
                Field::Loss => table.loss.is_some(),
                Field::PassAtK => table.pass_at_k.is_some(),
                Field::Weight => table.weight.is_some(),
                Field::Task => table.task.is_some(),
                Field::Column(name) => table.extra.iter().any(|c| &c.name == name),
                _ => true,
            };
            if !present {
                let known: Vec<&str> = table.extra.iter().map(|c| c.name.as_str()).collect();
                return Err(format!(
                    "the table has no '{}' column (fields: params, tokens, k, loss, pass_at_k, weight, \
                     train_flops, tokens_per_param, task; extra columns: {})",
                    field.name(),
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ));
            }
            if is_numeric(field) && matches!(value, Value::Text(_)) {
                return Err(format!("'{}' is numeric; compare it with a number", field.name()));
            }
            Ok(())
        }
        Expr::And(l, r) | Expr::Or(l, r) => check_fields(l, table).and_then(|_| check_fields(r, table)),
        Expr::Not(e) => check_fields(e, table),
    }
}

fn is_numeric(field: &Field) -> bool {
    !matches!(field, Field::Task | Field::Column(_))
}

fn number_of(field: &Field, t: &RunTable, i: usize) -> Option<f64> {
    match field {
        Field::Params => Some(t.params[i]),
        Field::Tokens => Some(t.tokens[i]),
        Field::K => Some(t.k[i]),
        Field::Loss => t.loss.as_ref().map(|v| v[i]),
        Field::PassAtK => t.pass_at_k.as_ref().map(|v| v[i]),
        Field::Weight => t.weight.as_ref().map(|v| v[i]),
        Field::TrainFlops => Some(t.train_flops(i)),
        Field::TokensPerParam => Some(t.tokens[i] / t.params[i]),
        Field::Task | Field::Column(_) => None,
    }
}

fn text_of<'t>(field: &Field, t: &'t RunTable, i: usize) -> Option<&'t str> {
    match field {
        Field::Task => t.task.as_ref().map(|v| v[i].as_str()),
        Field::Column(name) => t
            .extra
            .iter()
            .find(|c| &c.name == name)
            .map(|c| c.values[i].as_str()),
        _ => None,
    }
}

fn eval(expr: &Expr, t: &RunTable, i: usize) -> bool {
    match expr {
        Expr::Compare { field, op, value } => {
            let ordering = match value {
                Value::Number(v) => match number_of(field, t, i) {
                    Some(x) => x.partial_cmp(v),
                    None => text_of(field, t, i)
                        .and_then(|s| s.trim().parse::<f64>().ok())
                        .and_then(|x| x.partial_cmp(v)),
                },
                Value::Text(v) => text_of(field, t, i).map(|s| s.cmp(v.as_str())),
            };
            op.holds(ordering)
        }
        Expr::And(l, r) => eval(l, t, i) && eval(r, t, i),
        Expr::Or(l, r) => eval(l, t, i) || eval(r, t, i),
        Expr::Not(e) => !eval(e, t, i),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Number(f64),
    Text(String),
    Op(Op),
    And,
    Or,
    Not,
    Open,
    Close,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    /// 1-based character column in the expression.
    column: usize,
}

fn lex(text: &str) -> Result<Vec<Token>, FilterError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err =
        |col: usize, msg: String| FilterError(format!("filter '{}': {msg} at column {col}", text.trim()));
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let (tok, len) = if c.is_whitespace() {
            i += 1;
            continue;
        } else if c == '(' {
            (Tok::Open, 1)
        } else if c == ')' {
            (Tok::Close, 1)
        } else if ["<=", ">=", "==", "!=", "&&", "||"].contains(&two.as_str()) {
            let tok = match two.as_str() {
                "<=" => Tok::Op(Op::Le),
                ">=" => Tok::Op(Op::Ge),
                "==" => Tok::Op(Op::Eq),
                "!=" => Tok::Op(Op::Ne),
                "&&" => Tok::And,
                _ => Tok::Or,
            };
            (tok, 2)
        } else if c == '<' || c == '>' || c == '=' {
            let op = match c {
                '<' => Op::Lt,
                '>' => Op::Gt,
                _ => Op::Eq,
            };
            (Tok::Op(op), 1)
        } else if c == '!' {
            (Tok::Not, 1)
        } else if c == '"' || c == '\'' {
            let end = chars[i + 1..]
                .iter()
                .position(|&d| d == c)
                .ok_or_else(|| err(column, format!("unterminated string (missing closing {c})")))?;
            let s: String = chars[i + 1..i + 1 + end].iter().collect();
            (Tok::Text(s), end + 2)
        } else if c.is_ascii_digit() || c == '.' || c == '-' || c == '+' {
            let mut j = i + 1;
            while j < chars.len()
                && (chars[j].is_ascii_alphanumeric()
                    || chars[j] == '.'
                    || ((chars[j] == '-' || chars[j] == '+') && matches!(chars[j - 1], 'e' | 'E')))
            {
                j += 1;
            }
            let s: String = chars[i..j].iter().collect();
            let v: f64 = s
                .parse()
                .map_err(|_| err(column, format!("'{s}' is not a number")))?;
            (Tok::Number(v), j - i)
        } else if c.is_alphabetic() || c == '_' {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let s: String = chars[i..j].iter().collect();
            let tok = match s.to_ascii_lowercase().as_str() {
                "and" => Tok::And,
                "or" => Tok::Or,
                "not" => Tok::Not,
                _ => Tok::Ident(s),
            };
            (tok, j - i)
        } else {
            return Err(err(column, format!("unexpected character '{c}'")));
        };
        out.push(Token { tok, column });
        i += len;
    }
    Ok(out)
}

/// Deepest nesting of parentheses and `not` a filter may have.
pub const MAX_DEPTH: usize = 64;
/// Most comparisons a filter may hold (each `and`/`or` adds a level to the expression tree).
pub const MAX_TERMS: usize = 512;

struct Parser<'a> {
    text: &'a str,
    tokens: &'a [Token],
    at: usize,
    depth: usize,
    terms: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn error_at(&self, column: usize, msg: &str) -> FilterError {
        FilterError(format!("filter '{}': {msg} at column {column}", self.text.trim()))
    }

    fn error_here(&self, msg: &str) -> FilterError {
        match self.peek() {
            Some(tok) => self.error_at(tok.column, msg),
            None => FilterError(format!("filter '{}': {msg} at the end", self.text.trim())),
        }
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek().is_some_and(|t| &t.tok == tok) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Result<Expr, FilterError> {
        let mut left = self.conjunction()?;
        while self.eat(&Tok::Or) {
            left = Expr::Or(Box::new(left), Box::new(self.conjunction()?));
        }
        Ok(left)
    }

    fn conjunction(&mut self) -> Result<Expr, FilterError> {
        let mut left = self.unary()?;
        while self.eat(&Tok::And) {
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, FilterError> {
        let nested = self
            .peek()
            .is_some_and(|t| t.tok == Tok::Not || t.tok == Tok::Open);
        if nested {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(self.error_here(&format!("more than {MAX_DEPTH} nested parentheses or 'not's")));
            }
        }
        let expr = self.nested_or_comparison();
        if nested {
            self.depth -= 1;
        }
        expr
    }

    fn nested_or_comparison(&mut self) -> Result<Expr, FilterError> {
        if self.eat(&Tok::Not) {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat(&Tok::Open) {
            let inner = self.expr()?;
            if !self.eat(&Tok::Close) {
                return Err(self.error_here("expected ')'"));
            }
            return Ok(inner);
        }
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return Err(self.error_here(&format!("more than {MAX_TERMS} comparisons")));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, FilterError> {
        let field = match self.peek().map(|t| &t.tok) {
            Some(Tok::Ident(name)) => Field::from_name(name),
            _ => return Err(self.error_here("expected a field name such as params, tokens, k or loss")),
        };
        self.at += 1;
        let op = match self.peek().map(|t| &t.tok) {
            Some(Tok::Op(op)) => *op,
            _ => {
                return Err(self.error_here(&format!(
                    "expected a comparison (< <= > >= == !=) after '{}'",
                    field.name()
                )))
            }
        };
        self.at += 1;
        let value = match self.peek().map(|t| &t.tok) {
            Some(Tok::Number(v)) => Value::Number(*v),
            Some(Tok::Text(s)) => Value::Text(s.clone()),
            Some(Tok::Ident(s)) => {
                return Err(self.error_here(&format!(
                    "expected a number or a quoted string after '{}', got '{s}' (quote text: \"{s}\")",
                    op.symbol()
                )))
            }
            _ => {
                return Err(self.error_here(&format!(
                    "expected a number or a quoted string after '{}'",
                    op.symbol()
                )))
            }
        };
        self.at += 1;
        Ok(Expr::Compare { field, op, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::ExtraColumn;

    fn table() -> RunTable {
        RunTable {
            params: vec![1e8, 2e8, 1e9, 1e9],
            tokens: vec![1e10, 8e10, 2e10, 1e11],
            k: vec![1.0, 1.0, 4.0, 1.0],
            loss: Some(vec![3.0, 2.8, 2.5, 2.2]),
            task: Some(vec!["a".into(), "b".into(), "a".into(), "b".into()]),
            extra: vec![ExtraColumn {
                name: "origin".into(),
                values: vec!["porian".into(), "overtrained".into(), "porian".into(), "7".into()],
            }],
            ..Default::default()
        }
    }

    fn rows(expr: &str) -> Vec<usize> {
        Filter::parse(expr).unwrap().rows(&table()).unwrap()
    }

    #[test]
    fn comparisons_and_precedence() {
        assert_eq!(rows("tokens <= 7e10"), vec![0, 2]);
        assert_eq!(rows("k == 1 and params > 1.5e8"), vec![1, 3]);
        assert_eq!(rows("k == 1 and params > 1.5e8 or loss < 2.6"), vec![1, 2, 3]);
        assert_eq!(rows("k == 1 and (params > 1.5e8 or loss < 2.6)"), vec![1, 3]);
        assert_eq!(rows("not (task == \"a\") && loss != 2.2"), vec![1]);
        assert_eq!(rows("train_flops >= 6e20"), vec![3]);
        assert_eq!(rows("tokens_per_param > 50"), vec![0, 1, 3]);
        assert_eq!(rows("origin == 'porian' OR origin > 5"), vec![0, 2, 3]);
    }

    #[test]
    fn filters_too_deep_or_too_long_are_refused_not_overflowed() {
        let deep = format!("{}k == 1{}", "(".repeat(20_000), ")".repeat(20_000));
        assert!(Filter::parse(&deep).unwrap_err().to_string().contains("nested"));
        let nots = format!("{}k == 1", "not ".repeat(20_000));
        assert!(Filter::parse(&nots).unwrap_err().to_string().contains("nested"));
        let long = vec!["k == 1"; 20_000].join(" and ");
        assert!(Filter::parse(&long)
            .unwrap_err()
            .to_string()
            .contains("comparisons"));
        let fine = format!("{}k == 1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(Filter::parse(&fine).is_ok());
        assert!(Filter::parse(&vec!["k == 1"; MAX_TERMS].join(" or ")).is_ok());
    }

    #[test]
    fn parse_errors_say_where() {
        let msg = |e: &str| Filter::parse(e).unwrap_err().0;
        assert!(
            msg("tokens 7e10").contains("expected a comparison"),
            "{}",
            msg("tokens 7e10")
        );
        assert!(msg("tokens <= ").contains("at the end"));
        assert!(msg("(k == 1").contains("expected ')'"));
        assert!(msg("k == 1 k").contains("column 8"), "{}", msg("k == 1 k"));
        assert!(msg("task == gsm8k").contains("quote"));
        assert!(msg("k == 1e").contains("not a number"));
        assert!(msg("k # 1").contains("unexpected character '#'"));
        assert!(msg("task == \"a").contains("unterminated"));
    }

    #[test]
    fn missing_columns_are_errors_not_silent_misses() {
        let t = table();
        let err = Filter::parse("pass_at_k > 0.5").unwrap().rows(&t).unwrap_err();
        assert!(err.0.contains("no 'pass_at_k' column"), "{err}");
        let err = Filter::parse("lr < 1").unwrap().rows(&t).unwrap_err();
        assert!(err.0.contains("origin"), "{err}");
        let err = Filter::parse("params == \"x\"").unwrap().rows(&t).unwrap_err();
        assert!(err.0.contains("numeric"), "{err}");
    }
}
