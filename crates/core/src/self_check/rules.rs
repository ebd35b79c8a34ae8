//! Build time: reads `content/self-check.toml`, checks that it is consistent (every
//! condition names real questions and options, every link a real article section, a
//! catch-all outcome comes last) and runs the test cases stored beside the rules. Any
//! problem fails the build with `file:line: message` naming the rule.

use super::engine::{ANY, Next};
use super::{
    Answers, Caution, Choose, Condition, Expected, Level, Outcome, Question, SelfCheckRules,
};
use crate::content_error::{ContentError, line_containing};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// The rules file: the questionnaire plus its test cases.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    question: Vec<Question>,
    outcome: Vec<Outcome>,
    #[serde(default)]
    caution: Vec<Caution>,
    #[serde(default)]
    case: Vec<Case>,
}

/// A test case: these answers must lead to that outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Names the case when it fails.
    pub name: String,
    /// Question id → the option chosen, or a list of them: the same one-or-many form a
    /// condition uses (`Expected`), read here as the options ticked.
    pub answers: BTreeMap<String, Expected>,
    /// The id of the outcome the answers must lead to.
    pub expect: String,
    /// The ids of the cautions the result must give, all and only these; not checked when
    /// left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cautions: Option<Vec<String>>,
}

impl Case {
    /// The answers as the engine takes them.
    pub fn answers(&self) -> Answers {
        self.answers
            .iter()
            .map(|(q, a)| {
                let chosen = match a {
                    Expected::One(id) => vec![id.clone()],
                    Expected::OneOf(ids) => ids.clone(),
                };
                (q.clone(), chosen)
            })
            .collect()
    }
}

/// Checks only that every link of the rules file points at an article section that exists:
/// the check the content build (`site-build`) runs, since articles change without the app
/// being compiled again. `load` checks the rest when the app is compiled.
pub fn check_links(
    file: &str,
    text: &str,
    section_exists: impl Fn(&str, &str) -> bool,
) -> Result<(), ContentError> {
    let parsed: RulesFile =
        toml::from_str(text).map_err(|e| ContentError::from_toml(file, text, &e))?;
    for o in &parsed.outcome {
        missing_link(o, &section_exists).map_err(|m| {
            ContentError::new(
                file,
                line_containing(text, &format!("id = \"{}\"", o.id)),
                format!("outcome `{}`: {m}", o.id),
            )
        })?;
    }
    Ok(())
}

/// The first of the outcome's links that points at a section that does not exist.
fn missing_link(o: &Outcome, section_exists: &impl Fn(&str, &str) -> bool) -> Result<(), String> {
    match o
        .links
        .iter()
        .find(|link| !section_exists(&link.article, &link.section))
    {
        Some(link) => Err(format!(
            "links to {}, which does not exist (no heading with the id `{}` in content/articles/{}.md)",
            link.href(),
            link.section,
            link.article
        )),
        None => Ok(()),
    }
}

/// Parses and checks the rules. `section_exists(article, section)` says whether an article
/// has a heading with that id (the build passes the article library).
pub fn load(
    file: &str,
    text: &str,
    section_exists: impl Fn(&str, &str) -> bool,
) -> Result<(SelfCheckRules, Vec<Case>), ContentError> {
    let parsed: RulesFile =
        toml::from_str(text).map_err(|e| ContentError::from_toml(file, text, &e))?;
    let rules = SelfCheckRules {
        questions: parsed.question,
        outcomes: parsed.outcome,
        cautions: parsed.caution,
    };
    let fail = |needle: &str, message: String| {
        Err(ContentError::new(
            file,
            line_containing(text, needle),
            message,
        ))
    };
    check_questions(&rules).or_else(|(needle, m)| fail(&needle, m))?;
    check_outcomes(&rules, &section_exists).or_else(|(needle, m)| fail(&needle, m))?;
    check_cautions(&rules).or_else(|(needle, m)| fail(&needle, m))?;
    check_every_path(&rules).or_else(|(needle, m)| fail(&needle, m))?;
    for case in &parsed.case {
        run_case(&rules, case).or_else(|m| {
            fail(
                &format!("\"{}\"", case.name),
                format!("case \u{201c}{}\u{201d}: {m}", case.name),
            )
        })?;
    }
    Ok((rules, parsed.case))
}

/// Runs a case through the questionnaire as a visitor would, one question at a time.
pub fn run_case(rules: &SelfCheckRules, case: &Case) -> Result<(), String> {
    if rules.outcome_by_id(&case.expect).is_none() {
        return Err(format!(
            "expects `{}`, which is not an outcome",
            case.expect
        ));
    }
    let given = case.answers();
    for question in given.keys() {
        if rules.question(question).is_none() {
            return Err(format!("answers `{question}`, which is not a question"));
        }
    }
    let mut answers = Answers::new();
    loop {
        match rules.next(&answers) {
            Next::Ask { question, .. } => {
                let Some(chosen) = given.get(&question.id) else {
                    return Err(format!(
                        "the questionnaire asks `{}` but the case does not answer it",
                        question.id
                    ));
                };
                question
                    .check(chosen)
                    .map_err(|m| format!("the answer to `{}` is not valid: {m}", question.id))?;
                answers.insert(question.id.clone(), chosen.clone());
            }
            Next::Result(outcome) if outcome.id == case.expect => {
                return check_case_cautions(rules, case, outcome, &answers);
            }
            Next::Result(outcome) => {
                return Err(format!(
                    "leads to `{}`, expected `{}`",
                    outcome.id, case.expect
                ));
            }
            Next::Unmatched => return Err("leads to no outcome".into()),
        }
    }
}

/// The cautions a case expects are exactly those its result gives.
fn check_case_cautions(
    rules: &SelfCheckRules,
    case: &Case,
    outcome: &Outcome,
    answers: &Answers,
) -> Result<(), String> {
    let Some(expected) = &case.cautions else {
        return Ok(());
    };
    if let Some(unknown) = expected
        .iter()
        .find(|id| !rules.cautions.iter().any(|c| &c.id == *id))
    {
        return Err(format!(
            "expects caution `{unknown}`, which is not a caution"
        ));
    }
    let given: Vec<&str> = rules
        .cautions(outcome, answers)
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let mut wanted: Vec<&str> = expected.iter().map(String::as_str).collect();
    wanted.sort_unstable();
    let mut sorted = given.clone();
    sorted.sort_unstable();
    if sorted == wanted {
        Ok(())
    } else {
        Err(format!(
            "gives the cautions [{}], expected [{}]",
            given.join(", "),
            wanted.join(", ")
        ))
    }
}

type Problem = (String, String);

fn is_identifier(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn check_questions(rules: &SelfCheckRules) -> Result<(), Problem> {
    let mut seen: Vec<&Question> = Vec::new();
    for q in &rules.questions {
        let at = format!("id = \"{}\"", q.id);
        let problem = |m: String| Err((at.clone(), format!("question `{}`: {m}", q.id)));
        if !is_identifier(&q.id) {
            return problem("ids are lowercase letters, digits and underscores".into());
        }
        if seen.iter().any(|s| s.id == q.id) {
            return problem("the id is used twice".into());
        }
        if q.text.trim().is_empty() {
            return problem("the question text is empty".into());
        }
        if q.options.len() < 2 {
            return problem("needs at least two options".into());
        }
        let mut ids = HashSet::new();
        for o in &q.options {
            if !is_identifier(&o.id) || o.id == ANY {
                return problem(format!(
                    "option id `{}` must be lowercase letters, digits and underscores (and not `any`)",
                    o.id
                ));
            }
            if !ids.insert(&o.id) {
                return problem(format!("option `{}` is listed twice", o.id));
            }
            if o.label.trim().is_empty() {
                return problem(format!("option `{}` has no label", o.id));
            }
        }
        let exclusive = q.options.iter().filter(|o| o.exclusive).count();
        match q.choose {
            Choose::One if exclusive > 0 => {
                return problem("`exclusive` only makes sense with choose = \"any\"".into());
            }
            Choose::Any if exclusive != 1 => {
                return problem(
                    "choose = \"any\" needs exactly one exclusive option (\"None of these\")"
                        .into(),
                );
            }
            _ => {}
        }
        // Only earlier questions: whether a question is shown must be known when it is reached.
        check_conditions(&q.show_when, &seen).or_else(|m| problem(format!("show_when: {m}")))?;
        seen.push(q);
    }
    Ok(())
}

fn check_outcomes(
    rules: &SelfCheckRules,
    section_exists: &impl Fn(&str, &str) -> bool,
) -> Result<(), Problem> {
    let questions: Vec<&Question> = rules.questions.iter().collect();
    if rules.outcomes.is_empty() {
        return Err(("[[outcome]]".to_owned(), "there are no outcomes".to_owned()));
    }
    let mut ids = HashSet::new();
    for o in &rules.outcomes {
        let at = format!("id = \"{}\"", o.id);
        let problem = |m: String| Err((at.clone(), format!("outcome `{}`: {m}", o.id)));
        if !is_identifier(&o.id) || !ids.insert(&o.id) {
            return problem("ids must be unique, lowercase letters, digits and underscores".into());
        }
        if o.title.trim().is_empty() || o.explanation.trim().is_empty() {
            return problem("needs a title and an explanation".into());
        }
        if o.next_steps.is_empty() || o.next_steps.iter().any(|s| s.trim().is_empty()) {
            return problem("needs at least one next step, none empty".into());
        }
        if o.when.is_empty() {
            return problem("needs a `when`: say which answers lead here".into());
        }
        check_wait(o).or_else(&problem)?;
        check_conditions(&o.when, &questions).or_else(|m| problem(format!("when: {m}")))?;
        missing_link(o, section_exists).or_else(&problem)?;
        for link in &o.links {
            if link.label.trim().is_empty() || link.why.trim().is_empty() {
                return problem(format!(
                    "the link to {} needs a label and a why",
                    link.href()
                ));
            }
            check_conditions(&link.when, &questions)
                .or_else(|m| problem(format!("link to {}: {m}", link.href())))?;
        }
    }
    Ok(())
}

fn check_cautions(rules: &SelfCheckRules) -> Result<(), Problem> {
    let questions: Vec<&Question> = rules.questions.iter().collect();
    let mut ids = HashSet::new();
    for c in &rules.cautions {
        let at = format!("id = \"{}\"", c.id);
        let problem = |m: String| Err((at.clone(), format!("caution `{}`: {m}", c.id)));
        if !is_identifier(&c.id) || !ids.insert(&c.id) {
            return problem("ids must be unique, lowercase letters, digits and underscores".into());
        }
        if c.text.trim().is_empty() {
            return problem("the text is empty".into());
        }
        if c.when.is_empty() {
            return problem("needs a `when`: say which answers call for it".into());
        }
        check_conditions(&c.when, &questions).or_else(|m| problem(format!("when: {m}")))?;
    }
    Ok(())
}

/// Walks every way through the questionnaire: each must end in an outcome, and every
/// question and outcome must be reachable (otherwise a rule is dead or shadowed).
fn check_every_path(rules: &SelfCheckRules) -> Result<(), Problem> {
    let paths = rules.every_path();
    if let Some((answers, _)) = paths.iter().find(|(_, o)| o.is_none()) {
        let shown: Vec<String> = answers
            .iter()
            .map(|(q, a)| format!("{q} = {}", a.join("+")))
            .collect();
        return Err((
            "[[outcome]]".into(),
            format!("these answers lead to no outcome: {}", shown.join(", ")),
        ));
    }
    for q in &rules.questions {
        if !paths.iter().any(|(answers, _)| answers.contains_key(&q.id)) {
            return Err((
                format!("id = \"{}\"", q.id),
                format!("question `{}` is never asked", q.id),
            ));
        }
    }
    for c in &rules.cautions {
        let said = |(answers, reached): &(Answers, Option<&Outcome>)| {
            reached.is_some_and(|o| rules.cautions(o, answers).iter().any(|g| g.id == c.id))
        };
        if !paths.iter().any(said) {
            return Err((
                format!("id = \"{}\"", c.id),
                format!(
                    "caution `{}` is never given: its answers always lead to an emergency or urgent result",
                    c.id
                ),
            ));
        }
    }
    for o in &rules.outcomes {
        if !paths
            .iter()
            .any(|(_, reached)| reached.is_some_and(|r| r.id == o.id))
        {
            let msg = format!(
                "outcome `{}` is never reached: the outcomes before it catch every answer that leads here",
                o.id
            );
            return Err((format!("id = \"{}\"", o.id), msg));
        }
    }
    Ok(())
}

/// A `wait` outcome says how many days (`wait_days`), and its title and steps give that same
/// number, since the booking form offers no earlier day; other outcomes have no wait.
fn check_wait(o: &Outcome) -> Result<(), String> {
    let days = match (o.level, o.wait_days) {
        (Level::Wait, Some(days)) if days > 0 => days,
        (Level::Wait, _) => return Err("a `wait` outcome needs `wait_days` (1 or more)".into()),
        (_, Some(_)) => return Err("only a `wait` outcome has `wait_days`".into()),
        (_, None) => return Ok(()),
    };
    if !days_mentioned(&o.title).contains(&days) {
        return Err(format!(
            "the title must say how long to wait: {days} days (`wait_days`)"
        ));
    }
    let texts = std::iter::once(&o.title)
        .chain(std::iter::once(&o.explanation))
        .chain(&o.next_steps);
    for text in texts {
        if let Some(other) = days_mentioned(text).into_iter().find(|&d| d != days) {
            return Err(format!(
                "says {other} days in \u{201c}{text}\u{201d}, but `wait_days` is {days}: give one number"
            ));
        }
    }
    Ok(())
}

/// The numbers of days a text mentions: `3` in "after 3 days", `2` and `3` in "2 to 3 days".
fn days_mentioned(text: &str) -> Vec<u32> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '-')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let mut found = Vec::new();
    let mut run = Vec::new();
    for word in words {
        if let Ok(n) = word.parse::<u32>() {
            run.push(n);
        } else if !run.is_empty() && matches!(word, "to" | "or" | "and") {
            continue;
        } else {
            if word.starts_with("day") {
                found.append(&mut run);
            }
            run.clear();
        }
    }
    found
}

fn check_conditions(conditions: &[Condition], known: &[&Question]) -> Result<(), String> {
    for condition in conditions {
        if condition.is_empty() {
            return Err("an empty condition `{}` would always hold".into());
        }
        for (question_id, expected) in condition {
            let Some(q) = known.iter().find(|q| &q.id == question_id) else {
                return Err(format!(
                    "`{question_id}` is not a question asked before this point"
                ));
            };
            let wanted: Vec<&String> = match expected {
                Expected::One(word) if word == ANY => {
                    if q.choose != Choose::Any {
                        return Err(format!(
                            "`{question_id} = \"any\"` only works for choose = \"any\" questions"
                        ));
                    }
                    continue;
                }
                Expected::One(id) => vec![id],
                Expected::OneOf(ids) if ids.is_empty() => {
                    return Err(format!("`{question_id}` lists no options"));
                }
                Expected::OneOf(ids) => ids.iter().collect(),
            };
            if let Some(unknown) = wanted.into_iter().find(|id| q.option(id).is_none()) {
                return Err(format!("`{question_id}` has no option `{unknown}`"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
