//! Walks the rules: which question comes next given the answers so far, and which outcome
//! the answers lead to (the first outcome whose condition holds).

use super::{
    Advice, AnswerOption, Answers, Caution, Choose, Condition, Expected, Outcome, Question,
    SectionLink, SelfCheckRules,
};

/// What the questionnaire shows next.
#[derive(Debug, PartialEq)]
pub enum Next<'a> {
    /// Ask this question: it is step `step` of `of` (see `SelfCheckRules::progress`).
    Ask {
        /// The question to show.
        question: &'a Question,
        /// Its place in the rules.
        step: usize,
        /// How many questions the rules have.
        of: usize,
    },
    /// The answers lead here: show the result.
    Result(&'a Outcome),
    /// No outcome matches. The build refuses rules where any answers can lead here, so the
    /// app only shows its cautious fallback if that check was bypassed.
    Unmatched,
}

/// The word in a condition that matches any answer except the exclusive "None of these".
pub const ANY: &str = "any";

impl SelfCheckRules {
    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The outcome with this id.
    pub fn outcome_by_id(&self, id: &str) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.id == id)
    }

    /// Where a question stands in the whole check: `(its place in the rules, how many
    /// questions there are)`. The same whatever the answers, so the count never goes back or
    /// changes its total under the reader; a question skipped on this reader's way counts as
    /// passed (the step number moves on by two), and a prerendered step shows the right
    /// number before the app knows the answers.
    pub fn progress(&self, question_id: &str) -> Option<(usize, usize)> {
        let i = self.questions.iter().position(|q| q.id == question_id)?;
        Some((i + 1, self.questions.len()))
    }

    fn ask<'a>(&self, question: &'a Question) -> Next<'a> {
        let (step, of) = self.progress(&question.id).unwrap_or((0, 0));
        Next::Ask { question, step, of }
    }

    /// Whether any of `conditions` holds (no conditions: always).
    pub fn holds(&self, conditions: &[Condition], answers: &Answers) -> bool {
        conditions.is_empty() || conditions.iter().any(|c| self.condition_holds(c, answers))
    }

    fn condition_holds(&self, condition: &Condition, answers: &Answers) -> bool {
        condition.iter().all(|(question_id, expected)| {
            let Some(chosen) = answers.get(question_id) else {
                return false;
            };
            match expected {
                Expected::One(word) if word == ANY => {
                    let question = self.question(question_id);
                    let exclusive = |id: &String| {
                        question
                            .is_some_and(|q| q.options.iter().any(|o| o.exclusive && &o.id == id))
                    };
                    chosen.iter().any(|id| !exclusive(id))
                }
                Expected::One(option) => chosen.contains(option),
                Expected::OneOf(options) => chosen.iter().any(|c| options.contains(c)),
            }
        })
    }

    /// Only the answers that count: those to questions that are shown, given the answers
    /// before them. A changed answer can hide a later question; its old answer is ignored.
    pub fn relevant(&self, answers: &Answers) -> Answers {
        let mut relevant = Answers::new();
        for q in &self.questions {
            if self.holds(&q.show_when, &relevant)
                && let Some(chosen) = answers.get(&q.id)
                && q.check(chosen).is_ok()
            {
                relevant.insert(q.id.clone(), chosen.clone());
            }
        }
        relevant
    }

    /// The questions shown for these answers, in order.
    pub fn shown(&self, answers: &Answers) -> Vec<&Question> {
        let relevant = self.relevant(answers);
        self.questions
            .iter()
            .filter(|q| self.holds(&q.show_when, &relevant))
            .collect()
    }

    /// The first outcome whose condition holds for `answers`. The build checks that every
    /// way through the questionnaire ends in one.
    pub fn outcome(&self, answers: &Answers) -> Option<&Outcome> {
        let relevant = self.relevant(answers);
        self.outcomes
            .iter()
            .find(|o| !o.when.is_empty() && self.holds(&o.when, &relevant))
    }

    /// The next unanswered question, or the result. An emergency or urgent outcome ends the
    /// questionnaire as soon as the answers so far lead to it.
    pub fn next(&self, answers: &Answers) -> Next<'_> {
        let relevant = self.relevant(answers);
        let shown = self.shown(&relevant);
        for question in shown {
            if relevant.contains_key(&question.id) {
                continue;
            }
            if let Some(so_far) = self.outcome(&relevant).filter(|o| o.level.ends_early()) {
                return Next::Result(so_far);
            }
            return self.ask(question);
        }
        self.outcome(&relevant)
            .map_or(Next::Unmatched, Next::Result)
    }

    /// What follows once `question_id` has been answered: the next question shown after it
    /// (even if answered before, so a changed answer leads through the rest in order), or
    /// the result when an emergency or urgent outcome already holds or none is left.
    pub fn next_after(&self, question_id: &str, answers: &Answers) -> Next<'_> {
        let relevant = self.relevant(answers);
        if let Some(so_far) = self.outcome(&relevant).filter(|o| o.level.ends_early()) {
            return Next::Result(so_far);
        }
        let shown = self.shown(&relevant);
        match shown.iter().position(|q| q.id == question_id) {
            Some(i) if i + 1 < shown.len() => self.ask(shown[i + 1]),
            _ => self.next(&relevant),
        }
    }

    /// Where question `question_id` stands (`Some((step, of))`, as `progress`) when it may be
    /// shown now (it is shown, and every question before it is answered), else `None`, so a
    /// visitor cannot skip the warning signs by typing a later step's address.
    pub fn position(&self, question_id: &str, answers: &Answers) -> Option<(usize, usize)> {
        let relevant = self.relevant(answers);
        let shown = self.shown(&relevant);
        let i = shown.iter().position(|q| q.id == question_id)?;
        if shown[..i].iter().all(|q| relevant.contains_key(&q.id))
            && self.outcome_before(&relevant, i, &shown)
        {
            self.progress(question_id)
        } else {
            None
        }
    }

    /// Whether the answers before question `i` still leave it to be asked (no emergency or
    /// urgent outcome has been reached on the way).
    fn outcome_before(&self, relevant: &Answers, i: usize, shown: &[&Question]) -> bool {
        let before: Answers = shown[..i]
            .iter()
            .filter_map(|q| relevant.get(&q.id).map(|a| (q.id.clone(), a.clone())))
            .collect();
        !self.outcome(&before).is_some_and(|o| o.level.ends_early())
    }

    /// Every way through the questionnaire, answering each question it asks with every
    /// possible answer: the answers of each finished path and where it ended (`None`: no
    /// outcome). Finite and small, so the build and the tests can check all of them.
    pub fn every_path(&self) -> Vec<(Answers, Option<&Outcome>)> {
        let mut finished = Vec::new();
        let mut pending = vec![Answers::new()];
        while let Some(answers) = pending.pop() {
            match self.next(&answers) {
                Next::Ask { question, .. } => {
                    for choice in question.every_answer() {
                        let mut more = answers.clone();
                        more.insert(question.id.clone(), choice);
                        pending.push(more);
                    }
                }
                Next::Result(outcome) => finished.push((answers, Some(outcome))),
                Next::Unmatched => finished.push((answers, None)),
            }
        }
        finished
    }

    /// The outcome's links that apply to these answers.
    pub fn links<'a>(&'a self, outcome: &'a Outcome, answers: &Answers) -> Vec<&'a SectionLink> {
        let relevant = self.relevant(answers);
        outcome
            .links
            .iter()
            .filter(|l| self.holds(&l.when, &relevant))
            .collect()
    }

    /// The cautions these answers call for on this outcome: none on an emergency or urgent
    /// one, where the only step is a doctor.
    pub fn cautions<'a>(&'a self, outcome: &Outcome, answers: &Answers) -> Vec<&'a Caution> {
        if outcome.level.ends_early() {
            return Vec::new();
        }
        let relevant = self.relevant(answers);
        self.cautions
            .iter()
            .filter(|c| self.holds(&c.when, &relevant))
            .collect()
    }

    /// What to do now: the outcome's steps, then the cautions these answers call for.
    pub fn next_steps(&self, outcome: &Outcome, answers: &Answers) -> Vec<String> {
        let cautions = self.cautions(outcome, answers);
        outcome
            .next_steps
            .iter()
            .cloned()
            .chain(cautions.into_iter().map(|c| c.text.clone()))
            .collect()
    }

    /// What this outcome advises for these answers, as the booking page needs it.
    pub fn advice(&self, outcome: &Outcome, answers: &Answers) -> Advice {
        Advice {
            next_steps: self.next_steps(outcome, answers),
            ..outcome.advice()
        }
    }

    /// The answers as `(question, answer)` lines, for the result page and for attaching to a
    /// booking request if the visitor chooses to.
    pub fn summary(&self, answers: &Answers) -> Vec<(String, String)> {
        let relevant = self.relevant(answers);
        self.questions
            .iter()
            .filter_map(|q| {
                let chosen = relevant.get(&q.id)?;
                let labels: Vec<&str> = q
                    .options
                    .iter()
                    .filter(|o| chosen.contains(&o.id))
                    .map(|o| o.label.as_str())
                    .collect();
                Some((q.text.clone(), labels.join("; ")))
            })
            .collect()
    }
}

impl SelfCheckRules {
    /// The finished check as lines of text, for the visitor to attach to a booking request if
    /// they choose: the outcome first, whatever it was (so the therapist sees at once that the
    /// check said 999 or "see a GP first"), then each question and answer. `None` while the
    /// check is unfinished.
    pub fn booking_summary(&self, answers: &Answers) -> Option<String> {
        let Next::Result(outcome) = self.next(answers) else {
            return None;
        };
        let mut lines = vec![format!(
            "Self-check result: {} \u{2013} {}",
            outcome.level.label(),
            outcome.title
        )];
        lines.extend(
            self.summary(answers)
                .into_iter()
                .map(|(q, a)| format!("{q} {a}")),
        );
        Some(lines.join("\n"))
    }
}

impl Question {
    /// The option with this id.
    pub fn option(&self, id: &str) -> Option<&AnswerOption> {
        self.options.iter().find(|o| o.id == id)
    }

    /// The options that are signs or facts, not the exclusive "None of these".
    pub fn signs(&self) -> impl Iterator<Item = &AnswerOption> {
        self.options.iter().filter(|o| !o.exclusive)
    }

    /// Every valid answer: each option for `choose = "one"`; for `choose = "any"`, the
    /// exclusive option alone and every non-empty set of the others.
    pub fn every_answer(&self) -> Vec<Vec<String>> {
        match self.choose {
            Choose::One => self.options.iter().map(|o| vec![o.id.clone()]).collect(),
            Choose::Any => {
                let signs: Vec<&AnswerOption> =
                    self.options.iter().filter(|o| !o.exclusive).collect();
                let mut all: Vec<Vec<String>> = self
                    .options
                    .iter()
                    .filter(|o| o.exclusive)
                    .map(|o| vec![o.id.clone()])
                    .collect();
                for mask in 1..(1u32 << signs.len()) {
                    all.push(
                        signs
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| mask & (1 << i) != 0)
                            .map(|(_, o)| o.id.clone())
                            .collect(),
                    );
                }
                all
            }
        }
    }

    /// Whether `chosen` is a complete answer; if not, the message to show next to the question.
    pub fn check(&self, chosen: &[String]) -> Result<(), &'static str> {
        if chosen.is_empty() {
            return Err(match self.choose {
                Choose::One => "Choose one answer to continue.",
                Choose::Any => "Tick every one that applies, or \u{201c}None of these\u{201d}.",
            });
        }
        if chosen.iter().any(|id| self.option(id).is_none()) {
            return Err("Choose one of the answers shown.");
        }
        match self.choose {
            Choose::One if chosen.len() > 1 => Err("Choose only one answer."),
            Choose::Any
                if chosen.len() > 1
                    && chosen
                        .iter()
                        .any(|id| self.option(id).is_some_and(|o| o.exclusive)) =>
            {
                Err("\u{201c}None of these\u{201d} cannot be ticked together with a sign.")
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Level;
    use super::*;

    fn rules() -> SelfCheckRules {
        serde_json::from_value(serde_json::json!({
            "question": [
                { "id": "signs", "text": "Any of these?", "choose": "any", "option": [
                    { "id": "red", "label": "Red" }, { "id": "blue", "label": "Blue" },
                    { "id": "none", "label": "None of these", "exclusive": true } ] },
                { "id": "where", "text": "Where?", "choose": "one", "option": [
                    { "id": "low", "label": "Low" }, { "id": "high", "label": "High" } ] },
                { "id": "moves", "text": "Does it move?", "choose": "one", "show_when": [{ "where": "high" }],
                  "option": [ { "id": "yes", "label": "Yes" }, { "id": "no", "label": "No" } ] },
            ],
            "outcome": [
                { "id": "emergency", "level": "emergency", "title": "E", "explanation": "e", "next_steps": [],
                  "when": [{ "signs": "any" }] },
                { "id": "urgent", "level": "urgent", "title": "U", "explanation": "u", "next_steps": [],
                  "when": [{ "moves": "no" }] },
                { "id": "high", "level": "suitable", "title": "H", "explanation": "h", "next_steps": [],
                  "when": [{ "where": ["high"] }],
                  "link": [ { "article": "a", "section": "s", "label": "L", "why": "w" },
                            { "article": "a", "section": "t", "label": "M", "why": "w", "when": [{ "moves": "yes" }] } ] },
                { "id": "general", "level": "suitable", "title": "G", "explanation": "g", "next_steps": ["Book."],
                  "when": [{ "where": ["low", "high"] }] },
            ],
            "caution": [
                { "id": "gently", "text": "Gently.", "when": [{ "signs": "blue" }, { "where": "low" }] },
            ]
        }))
        .unwrap()
    }

    fn answers(pairs: &[(&str, &[&str])]) -> Answers {
        pairs
            .iter()
            .map(|(q, a)| (q.to_string(), a.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    fn asks(next: Next<'_>) -> (String, usize, usize) {
        match next {
            Next::Ask { question, step, of } => (question.id.clone(), step, of),
            Next::Result(o) => panic!("expected a question, got outcome {}", o.id),
            Next::Unmatched => panic!("expected a question, got no outcome"),
        }
    }

    #[test]
    fn asks_in_order_and_counts_steps_out_of_the_whole_check() {
        let r = rules();
        assert_eq!(asks(r.next(&Answers::new())), ("signs".into(), 1, 3));
        assert_eq!(
            asks(r.next(&answers(&[("signs", &["none"])]))),
            ("where".into(), 2, 3)
        );
        assert_eq!(
            asks(r.next(&answers(&[("signs", &["none"]), ("where", &["high"])]))),
            ("moves".into(), 3, 3)
        );
    }

    #[test]
    fn a_warning_sign_ends_the_questionnaire_at_once() {
        let r = rules();
        assert_eq!(
            r.next(&answers(&[("signs", &["blue"])])),
            Next::Result(r.outcome_by_id("emergency").unwrap())
        );
    }

    #[test]
    fn first_matching_outcome_wins_and_catch_all_is_last() {
        let r = rules();
        let a = answers(&[
            ("signs", &["none"]),
            ("where", &["high"]),
            ("moves", &["no"]),
        ]);
        assert_eq!(r.next(&a), Next::Result(r.outcome_by_id("urgent").unwrap()));
        let a = answers(&[("signs", &["none"]), ("where", &["low"])]);
        assert_eq!(r.outcome(&a).unwrap().id, "general");
        assert_eq!(r.outcome(&a).unwrap().level, Level::Suitable);
    }

    #[test]
    fn answers_to_hidden_questions_are_ignored() {
        let r = rules();
        // "moves = no" was answered, then "where" changed so the question is no longer shown.
        let a = answers(&[
            ("signs", &["none"]),
            ("where", &["low"]),
            ("moves", &["no"]),
        ]);
        assert_eq!(r.outcome(&a).unwrap().id, "general");
        assert!(!r.relevant(&a).contains_key("moves"));
        assert_eq!(
            r.summary(&a),
            vec![
                ("Any of these?".into(), "None of these".into()),
                ("Where?".into(), "Low".into())
            ]
        );
    }

    #[test]
    fn the_booking_summary_says_the_outcome_first_whatever_it_was() {
        let r = rules();
        assert_eq!(r.booking_summary(&answers(&[("signs", &["none"])])), None);
        let summary = r.booking_summary(&answers(&[("signs", &["red"])])).unwrap();
        assert_eq!(
            summary,
            "Self-check result: Emergency \u{2013} E\nAny of these? Red"
        );
        let summary = r
            .booking_summary(&answers(&[("signs", &["none"]), ("where", &["low"])]))
            .unwrap();
        assert!(
            summary.starts_with("Self-check result: Suitable for massage \u{2013} G\n"),
            "{summary}"
        );
    }

    #[test]
    fn cautions_join_the_next_steps_except_where_a_doctor_comes_first() {
        let r = rules();
        let low = answers(&[("signs", &["none"]), ("where", &["low"])]);
        let general = r.outcome_by_id("general").unwrap();
        assert_eq!(r.next_steps(general, &low), ["Book.", "Gently."]);
        assert_eq!(r.advice(general, &low).next_steps, ["Book.", "Gently."]);
        let high = answers(&[
            ("signs", &["none"]),
            ("where", &["high"]),
            ("moves", &["yes"]),
        ]);
        assert!(r.cautions(r.outcome(&high).unwrap(), &high).is_empty());
        // Blue is an emergency sign: the caution it would call for is not said there.
        let blue = answers(&[("signs", &["blue"])]);
        assert!(r.cautions(r.outcome(&blue).unwrap(), &blue).is_empty());
    }

    #[test]
    fn links_can_depend_on_answers() {
        let r = rules();
        let high = r.outcome_by_id("high").unwrap();
        let yes = answers(&[
            ("signs", &["none"]),
            ("where", &["high"]),
            ("moves", &["yes"]),
        ]);
        let labels: Vec<&str> = r
            .links(high, &yes)
            .iter()
            .map(|l| l.label.as_str())
            .collect();
        assert_eq!(labels, ["L", "M"]);
        assert_eq!(r.links(high, &yes)[0].href(), "/articles/a#s");
    }

    #[test]
    fn going_back_and_changing_an_answer_leads_through_the_rest_in_order() {
        let r = rules();
        let a = answers(&[
            ("signs", &["none"]),
            ("where", &["high"]),
            ("moves", &["yes"]),
        ]);
        assert_eq!(asks(r.next_after("signs", &a)), ("where".into(), 2, 3));
        assert_eq!(asks(r.next_after("where", &a)), ("moves".into(), 3, 3));
        assert_eq!(
            r.next_after("moves", &a),
            Next::Result(r.outcome_by_id("high").unwrap())
        );
        let changed = answers(&[
            ("signs", &["red"]),
            ("where", &["high"]),
            ("moves", &["yes"]),
        ]);
        assert_eq!(
            r.next_after("signs", &changed),
            Next::Result(r.outcome_by_id("emergency").unwrap())
        );
    }

    #[test]
    fn later_steps_cannot_be_opened_before_the_earlier_ones() {
        let r = rules();
        assert_eq!(r.position("signs", &Answers::new()), Some((1, 3)));
        assert_eq!(r.position("where", &Answers::new()), None);
        assert_eq!(
            r.position(
                "moves",
                &answers(&[("signs", &["none"]), ("where", &["low"])])
            ),
            None
        );
        assert_eq!(
            r.position(
                "moves",
                &answers(&[("signs", &["none"]), ("where", &["high"])])
            ),
            Some((3, 3))
        );
        // After a warning sign the questionnaire is over: later steps stay closed.
        assert_eq!(r.position("where", &answers(&[("signs", &["red"])])), None);
        assert_eq!(r.position("nonsense", &Answers::new()), None);
    }

    #[test]
    fn every_path_is_walked_with_every_answer() {
        let r = rules();
        let paths = r.every_path();
        // signs: red, blue, red+blue end early (3); none, then low (1) or high, then yes/no (2).
        assert_eq!(paths.len(), 6);
        assert!(paths.iter().all(|(_, o)| o.is_some()));
        assert_eq!(r.question("signs").unwrap().every_answer().len(), 4);
    }

    #[test]
    fn answers_no_outcome_matches_are_reported_not_guessed() {
        let mut r = rules();
        r.outcomes.retain(|o| o.id != "general");
        let a = answers(&[("signs", &["none"]), ("where", &["low"])]);
        assert_eq!(r.next(&a), Next::Unmatched);
        assert!(r.every_path().iter().any(|(_, o)| o.is_none()));
    }

    #[test]
    fn incomplete_or_contradictory_answers_are_refused_with_a_message() {
        let r = rules();
        let signs = r.question("signs").unwrap();
        let s = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(signs.check(&s(&["red", "blue"])).is_ok());
        assert!(signs.check(&s(&[])).unwrap_err().contains("Tick every one"));
        assert!(
            signs
                .check(&s(&["red", "none"]))
                .unwrap_err()
                .contains("cannot be ticked together")
        );
        assert!(signs.check(&s(&["green"])).is_err());
        let where_ = r.question("where").unwrap();
        assert!(
            where_
                .check(&s(&["low", "high"]))
                .unwrap_err()
                .contains("only one")
        );
        // Invalid answers count as unanswered: the question is asked again.
        assert_eq!(
            asks(r.next(&answers(&[("signs", &["red", "none"])]))).0,
            "signs"
        );
    }
}
