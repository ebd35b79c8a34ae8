use crate::components::page_meta::PageMeta;
use crate::content::practice;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Privacy() -> impl IntoView {
    let p = practice();
    let mailto = format!("mailto:{}", p.email);
    view! {
        <PageMeta path="/privacy"
            title="Privacy"
            description="What this site collects, why, how long it is kept and how to ask for it to be deleted (UK GDPR)."
        />
        <h1>"Privacy"</h1>
        <p class="lead">
            "This site is run by " {p.therapist.clone()} " (" {p.name.clone()} "), who decides how your information is used. "
            "It collects as little as it can."
        </p>

        <h2>"What is collected, and why"</h2>
        <ul>
            <li>
                <strong>"Booking requests. "</strong>
                "When you ask for a booking, the details you type (name, how to contact you, the treatment, times, address for outcall, any notes) "
                "are sent to " {p.therapist.clone()} " so she can confirm your appointment. The lawful basis is taking steps, at your request, towards a contract."
            </li>
            <li>
                <strong>"Health information, only if you choose. "</strong>
                "Anything about your health is special category data. It is only sent if you tick a separate consent box on the booking form, "
                "and is used only to plan a safe treatment. You can withdraw that consent at any time by e-mail."
            </li>
            <li>
                <strong>"The back-pain self-check. "</strong>
                "Your answers stay on your phone or computer, in this browser tab only, and are forgotten when you close it. "
                "They are never sent anywhere unless you choose to attach a summary to a booking request."
            </li>
            <li>
                <strong>"An unsent booking request. "</strong>
                "If you are offline when you press send, the request is kept in this browser until it can be delivered, then removed. "
                "A draft of the form (never any health details) is kept in this browser so you don't lose what you typed."
            </li>
        </ul>
        <p>"There are no advertising or tracking cookies, and no analytics."</p>

        <h2>"How long it is kept"</h2>
        <p>
            {format!(
                "Booking requests, including any health summary sent with them, are deleted from the booking system {days} days after the appointment, or {days} days after they arrive if no appointment was made. ",
                days = p.retention_days
            )}
            "Notes from treatments you have are kept for as long as professional insurance requires, and then deleted."
        </p>

        <h2>"Your rights"</h2>
        <p>
            "You can ask to see, correct or delete what is held about you, or withdraw consent for health information, by e-mailing "
            <a href=mailto>{p.email.clone()}</a>
            ". You will get an answer within one month. If you are unhappy with the answer you can complain to the Information Commissioner's Office (ico.org.uk)."
        </p>
        <p><A href="/">"Back to the home page"</A></p>
    }
}
