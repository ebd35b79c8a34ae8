use super::super::Level;
use super::*;
use crate::articles::library::Library;
use std::path::Path;

const FILE: &str = "content/self-check.toml";

fn real_text() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../content/self-check.toml"
    ))
    .unwrap()
}

fn real_library() -> Library {
    Library::load(
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../content/articles"
        )),
        "content/articles",
        &crate::articles::photos::Photos::default(),
        crate::calendar::Date::new(2100, 1, 1).unwrap(),
    )
    .unwrap()
}

/// The real rules, checked against the real article library.
fn real() -> (SelfCheckRules, Vec<Case>) {
    let index = real_library().index();
    load(FILE, &real_text(), |article, section| {
        index
            .article(article)
            .is_some_and(|a| a.sections.iter().any(|s| s.id == section))
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_real_rules_load_and_all_their_cases_pass() {
    let (rules, cases) = real();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    for case in &cases {
        run_case(&rules, case).unwrap_or_else(|e| panic!("{}: {e}", case.name));
    }
    // Every outcome has at least one case pinning it down.
    for o in &rules.outcomes {
        assert!(
            cases.iter().any(|c| c.expect == o.id),
            "no case for outcome {}",
            o.id
        );
    }
}

#[test]
fn every_warning_sign_has_its_own_case() {
    let (rules, cases) = real();
    for question in ["emergency_signs", "urgent_signs"] {
        for option in rules
            .question(question)
            .unwrap()
            .options
            .iter()
            .filter(|o| !o.exclusive)
        {
            let covered = cases.iter().any(|c| {
                c.answers()
                    .get(question)
                    .is_some_and(|a| a == &vec![option.id.clone()])
            });
            assert!(covered, "no case with only {question} = {}", option.id);
        }
    }
}

/// Issue 20: each fact that changes what is safe has a case with it alone, and the facts
/// are asked of everyone who has no warning sign (the weak-bones question was asked only
/// after a knock, so "it was too minor" removed it).
#[test]
fn every_fact_about_the_person_has_its_own_case_and_is_always_asked() {
    let (rules, cases) = real();
    let about_you = rules.question("about_you").unwrap();
    assert!(about_you.show_when.is_empty());
    for option in about_you.signs() {
        let covered = cases.iter().any(|c| {
            c.answers()
                .get("about_you")
                .is_some_and(|a| a == &vec![option.id.clone()])
        });
        assert!(covered, "no case with only about_you = {}", option.id);
    }
    for (answers, outcome) in rules.every_path() {
        let warned = outcome.is_some_and(|o| o.level.ends_early())
            && (has(
                &answers,
                "emergency_signs",
                &signs(&rules, "emergency_signs"),
            ) || has(&answers, "urgent_signs", &signs(&rules, "urgent_signs")));
        assert!(warned || answers.contains_key("about_you"), "{answers:?}");
    }
}

#[test]
fn every_path_ends_in_exactly_one_outcome_and_everything_is_reachable() {
    let (rules, _) = real();
    let paths = rules.every_path();
    assert!(paths.len() > 1000, "{} paths", paths.len());
    assert!(paths.iter().all(|(_, o)| o.is_some()));
    for q in &rules.questions {
        assert!(
            paths.iter().any(|(a, _)| a.contains_key(&q.id)),
            "{} never asked",
            q.id
        );
    }
    for o in &rules.outcomes {
        assert!(
            paths.iter().any(|(_, r)| r.is_some_and(|r| r.id == o.id)),
            "{} never reached",
            o.id
        );
    }
    // Booking is offered only where massage is appropriate.
    for (answers, outcome) in &paths {
        let outcome = outcome.unwrap();
        let warning = answers
            .get("emergency_signs")
            .is_some_and(|a| a != &["none"])
            || urgent_sign_given(&signs(&rules, "urgent_signs"), answers);
        assert!(
            !(warning && outcome.level.offers_booking()),
            "{answers:?} -> {}",
            outcome.id
        );
    }
}

/// Calls `check` with every complete set of answers (one per question, whether or not it
/// would be asked), with the multi-choice questions answered "none", each single sign, or
/// every sign. Visited one at a time: there are millions.
fn every_complete_answer(rules: &SelfCheckRules, check: &mut impl FnMut(&Answers)) {
    let choices: Vec<(&str, Vec<Vec<String>>)> = rules
        .questions
        .iter()
        .map(|q| (q.id.as_str(), choices(q)))
        .collect();
    fn walk(
        choices: &[(&str, Vec<Vec<String>>)],
        answers: &mut Answers,
        check: &mut impl FnMut(&Answers),
    ) {
        let Some(((question, options), rest)) = choices.split_first() else {
            return check(answers);
        };
        for option in options {
            answers.insert((*question).to_owned(), option.clone());
            walk(rest, answers, check);
        }
    }
    walk(&choices, &mut Answers::new(), check);
}

fn choices(q: &Question) -> Vec<Vec<String>> {
    {
        let choices: Vec<Vec<String>> = match q.choose {
            Choose::One => q.every_answer(),
            Choose::Any => {
                let signs: Vec<String> = q
                    .options
                    .iter()
                    .filter(|o| !o.exclusive)
                    .map(|o| o.id.clone())
                    .collect();
                let mut c: Vec<Vec<String>> = q
                    .options
                    .iter()
                    .filter(|o| o.exclusive)
                    .map(|o| vec![o.id.clone()])
                    .collect();
                c.extend(signs.iter().map(|s| vec![s.clone()]));
                c.push(signs);
                c
            }
        };
        choices
    }
}

/// The ids of a warning-sign question's signs (not "None of these").
fn signs<'a>(rules: &'a SelfCheckRules, question: &str) -> Vec<&'a str> {
    rules
        .question(question)
        .unwrap()
        .signs()
        .map(|o| o.id.as_str())
        .collect()
}

fn has(answers: &Answers, question: &str, options: &[&str]) -> bool {
    answers
        .get(question)
        .is_some_and(|a| a.iter().any(|x| options.contains(&x.as_str())))
}

#[test]
fn an_emergency_sign_is_an_emergency_whatever_else_was_answered() {
    let (rules, _) = real();
    let emergency_signs = signs(&rules, "emergency_signs");
    let mut checked = 0;
    // The walk below depends only on the answers it reaches, shared by many complete sets:
    // each end already checked is not walked again.
    let mut walked = std::collections::HashSet::new();
    every_complete_answer(&rules, &mut |answers| {
        if has(answers, "emergency_signs", &emergency_signs) || has(answers, "legs", &["both_legs"])
        {
            let outcome = rules.outcome(answers).unwrap();
            assert_eq!(
                outcome.level,
                Level::Emergency,
                "{answers:?} -> {}",
                outcome.id
            );
            // And the questionnaire, answered in order, ends there once the sign is given. (It
            // may end earlier, at an urgent sign, before the leg question is reached.)
            let mut so_far = Answers::new();
            while !walked.contains(&so_far) {
                match rules.next(&so_far) {
                    Next::Ask { question, .. } => {
                        so_far.insert(question.id.clone(), answers[&question.id].clone());
                    }
                    Next::Result(o) => {
                        let sign_given = has(&so_far, "emergency_signs", &emergency_signs)
                            || has(&so_far, "legs", &["both_legs"]);
                        if sign_given {
                            assert_eq!(o.level, Level::Emergency, "{so_far:?}");
                        } else {
                            assert!(o.level.ends_early(), "{so_far:?} -> {}", o.id);
                        }
                        walked.insert(so_far.clone());
                    }
                    Next::Unmatched => panic!("no outcome for {answers:?}"),
                }
            }
            checked += 1;
        }
    });
    assert!(checked > 10_000, "{checked}");
}

/// Whether the answers hold an urgent sign: one ticked; weak bones with any fall or knock,
/// or with pain of less than 12 weeks, knock or not; a risk of spinal infection; or
/// upper-back pain that does not change with movement.
fn urgent_sign_given(urgent_signs: &[&str], answers: &Answers) -> bool {
    let weak_bones = has(answers, "about_you", &["weak_bones"]);
    has(answers, "urgent_signs", urgent_signs)
        || (weak_bones && has(answers, "knock", &["yes"]))
        || (weak_bones && !has(answers, "started", &["over_12_weeks"]))
        || has(answers, "about_you", &["infection_risk"])
        || (has(answers, "where", &["upper", "both"])
            && has(answers, "upper_moves", &["no", "not_sure"]))
}

#[test]
fn urgent_signs_never_end_in_suitable_or_wait() {
    let (rules, _) = real();
    let urgent_signs = signs(&rules, "urgent_signs");
    let mut checked = 0;
    every_complete_answer(&rules, &mut |answers| {
        if urgent_sign_given(&urgent_signs, answers) {
            let level = rules.outcome(answers).unwrap().level;
            assert!(
                matches!(level, Level::Emergency | Level::Urgent),
                "{answers:?} -> {level:?}"
            );
            assert!(!level.offers_booking());
            checked += 1;
        }
    });
    assert!(checked > 10_000, "{checked}");
}

/// Issue 11: how a person reads a warning sign must not decide the level. Anyone whose pain
/// began after any fall or knock, with weak bones, steroid tablets or aged 70 or more, is
/// never offered a booking, however small they thought it was (proved for every answer by
/// `urgent_signs_never_end_in_suitable_or_wait`); and any road accident or fall from a
/// height is an emergency, whatever they thought of it.
#[test]
fn a_fall_or_knock_is_asked_so_that_the_reader_need_not_judge_it() {
    let (rules, cases) = real();
    let knock = rules.question("knock").unwrap();
    assert!(
        knock.hint.contains("even if it was small"),
        "{}",
        knock.hint
    );
    let accident = rules
        .question("emergency_signs")
        .unwrap()
        .option("accident")
        .unwrap();
    assert!(
        !accident.label.contains("serious accident") && !accident.label.contains("bad fall"),
        "the reader must not have to judge how bad: {}",
        accident.label
    );
    for name in [
        "A road accident the person thought was minor is still an emergency",
        "Osteoporosis and pain since a minor stumble is urgent, with no booking",
    ] {
        let case = cases.iter().find(|c| c.name == name).expect(name);
        run_case(&rules, case).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// The step counter (issue 11): along every way through the check, each step's number is
/// higher than the last, and the total is the same from the first step to the last.
#[test]
fn the_step_count_never_goes_back_and_its_total_never_changes() {
    let (rules, _) = real();
    let total = rules.questions.len();
    for (answers, _) in rules.every_path() {
        let mut so_far = Answers::new();
        let mut last = 0;
        while let Next::Ask { question, step, of } = rules.next(&so_far) {
            assert_eq!(of, total, "{so_far:?}");
            assert!(step > last, "step {step} after {last}: {so_far:?}");
            assert_eq!(rules.position(&question.id, &so_far), Some((step, of)));
            last = step;
            so_far.insert(question.id.clone(), answers[&question.id].clone());
        }
    }
}

#[test]
fn the_wait_is_one_number_of_days_in_the_title_the_steps_and_the_booking_form() {
    use crate::calendar::Date;
    let (rules, _) = real();
    let wait = rules.outcome_by_id("first_days").unwrap();
    assert_eq!(wait.wait_days, Some(3));
    assert!(wait.title.contains("3 days"), "{}", wait.title);
    assert!(
        wait.next_steps.iter().any(|s| s.contains("3 days")),
        "{:?}",
        wait.next_steps
    );
    let today = Date::new(2026, 11, 30).unwrap();
    assert_eq!(
        wait.advice().earliest_booking_day(today),
        Date::new(2026, 12, 3),
        "three days on, across a month's end"
    );
    let times = |days: &[&str]| {
        days.iter()
            .map(|d| format!("{d}T18:00"))
            .collect::<Vec<_>>()
    };
    let early = wait
        .advice()
        .times_before_the_wait(&times(&["2026-12-03", "2026-12-02", "2026-11-30"]), today);
    let fields: Vec<&str> = early.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["preferred_times.1", "preferred_times.2"]);
    assert_eq!(
        early[0].message,
        "Your self-check said to wait until after the first 3 days: choose Thursday 3 December 2026 or later."
    );
    let acute = rules.outcome_by_id("acute").unwrap();
    assert_eq!(acute.advice().earliest_booking_day(today), Some(today));
    assert!(
        acute
            .advice()
            .times_before_the_wait(&times(&["2026-11-30"]), today)
            .is_empty()
    );
    let urgent = rules.outcome_by_id("urgent").unwrap();
    assert_eq!(urgent.advice().earliest_booking_day(today), None);
    assert_eq!(super::days_mentioned("after the first 2 to 3 days"), [2, 3]);
    assert_eq!(
        super::days_mentioned("In the first 48 to 72 hours, or 3-day"),
        [3]
    );
}

#[test]
fn a_case_that_expects_other_cautions_is_refused() {
    let (rules, cases) = real();
    let mut case = cases
        .iter()
        .find(|c| {
            c.cautions
                .as_ref()
                .is_some_and(|c| c == &["blood_thinners"])
        })
        .unwrap()
        .clone();
    case.cautions = Some(vec![]);
    assert_eq!(
        run_case(&rules, &case).unwrap_err(),
        "gives the cautions [blood_thinners], expected []"
    );
    case.cautions = Some(vec!["gentle".into()]);
    assert!(
        run_case(&rules, &case)
            .unwrap_err()
            .contains("`gentle`, which is not a caution")
    );
}

fn load_err(text: &str) -> String {
    load(FILE, text, |_, _| true)
        .expect_err("should be refused")
        .to_string()
}

#[test]
fn a_broken_rules_file_is_refused_naming_file_and_rule() {
    let text = real_text();
    let cases = [
        (text.replacen("when = [{ pregnant = \"yes\" }]", "when = [{ pregnnt = \"yes\" }]", 1), "outcome `pregnancy`: when: `pregnnt` is not a question"),
        (text.replacen("when = [{ pregnant = \"yes\" }]", "when = [{ pregnant = \"maybe\" }]", 1), "`pregnant` has no option `maybe`"),
        (text.replacen("title = \"Speak to your midwife or GP first\"", "title = \"\"", 1), "outcome `pregnancy`: needs a title"),
        (text.replacen("show_when = [{ where = [\"upper\", \"both\"] }]", "show_when = [{ cause = \"sitting\" }]", 1), "question `upper_moves`: show_when: `cause` is not a question asked before"),
        (text.replacen("expect = \"chronic\"", "expect = \"acute\"", 1), "leads to `chronic`, expected `acute`"),
        (text.replacen("Book a session for after the first 3 days.", "Book a session for after the first 2 days.", 1), "outcome `first_days`: says 2 days"),
        (text.replacen("wait_days = 3\n", "", 1), "outcome `first_days`: a `wait` outcome needs `wait_days`"),
        (text.replacen("{ id = \"none\", label = \"None of these\", exclusive = true },\n]", "]", 1), "needs exactly one exclusive option"),
        (text.replacen("when = [{ started = \"over_12_weeks\" }]\nlink", "when = [{ started = \"over_12_weeks\", cause = \"sport\" }]\nlink", 1), "lead to no outcome"),
        (
            text.replacen("[[case]]", "[[outcome]]\nid = \"late\"\nlevel = \"suitable\"\ntitle = \"T\"\nexplanation = \"E\"\nnext_steps = [\"S\"]\nwhen = [{ started = \"over_12_weeks\" }]\n\n[[case]]", 1),
            "outcome `late` is never reached",
        ),
        (text.replacen("when = [{ about_you = \"blood_thinners\" }]", "when = [{ about_yu = \"blood_thinners\" }]", 1), "caution `blood_thinners`: when: `about_yu` is not a question"),
        (text.replacen("when = [{ about_you = \"blood_thinners\" }]", "when = [{ emergency_signs = \"any\" }]", 1), "caution `blood_thinners` is never given"),
    ];
    for (broken, expected) in cases {
        assert_ne!(
            broken, text,
            "the test's edit did not apply for {expected:?}"
        );
        let err = load_err(&broken);
        assert!(err.starts_with("content/self-check.toml:"), "{err}");
        assert!(err.contains(expected), "expected {expected:?} in {err}");
    }
}

#[test]
fn a_link_to_a_missing_section_is_refused() {
    let index = real_library().index();
    let text = real_text().replacen("section = \"chronic\"", "section = \"long-term\"", 1);
    let err = load(FILE, &text, |article, section| {
        index
            .article(article)
            .is_some_and(|a| a.sections.iter().any(|s| s.id == section))
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("links to /articles/back-pain#long-term, which does not exist"),
        "{err}"
    );
    assert!(err.starts_with("content/self-check.toml:"), "{err}");
    // The content build's own check says the same, without the rest of the rules' checks.
    let exists = |article: &str, section: &str| {
        index
            .article(article)
            .is_some_and(|a| a.sections.iter().any(|s| s.id == section))
    };
    let links_err = check_links(FILE, &text, exists).unwrap_err().to_string();
    assert_eq!(links_err, err);
    check_links(FILE, &real_text(), exists).unwrap();
}

#[test]
fn syntax_errors_name_the_line() {
    let err = load_err("[[question]]\nid = \"a\"\ntext = \n");
    assert!(err.starts_with("content/self-check.toml:3:"), "{err}");
}
