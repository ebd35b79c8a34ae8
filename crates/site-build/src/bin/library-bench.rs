//! `library-bench`: prints how fast the article pipeline and search are, natively, in release
//! mode (run by `make bench-library`; not a test). Targets: under 1 ms to render an article,
//! under 1 ms per keystroke searching 100 articles of this size.
//!
//! With `--generate N DIR` it also writes a copy of the content with N extra articles made
//! from the real ones, for measuring how the site's files grow with the library.

use massage_core::articles::library::Library;
use massage_core::articles::markdown::render;
use massage_core::articles::photos::Photos;
use massage_core::articles::search::SearchIndex;
use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let library = site_build::load_library(Path::new("content")).unwrap_or_else(|e| {
        e.iter().for_each(|e| eprintln!("error: {e}"));
        std::process::exit(1)
    });

    println!("Rendering each article to HTML (median of 200 runs):");
    for article in &library.articles {
        let time = median(200, || {
            std::hint::black_box(render(&article.body, &Photos::default()));
        });
        let kb = article.body.len() as f64 / 1024.0;
        println!(
            "  {:<45} {kb:>5.1} KB  {:>7.3} ms",
            article.meta.slug,
            ms(time)
        );
    }

    // 100 articles of this size: the real ones repeated under new names.
    let mut docs = Vec::new();
    while docs.len() < 100 {
        for (i, doc) in library.search_docs().into_iter().enumerate() {
            let mut doc = doc;
            doc.slug = format!("{}-{}", doc.slug, docs.len() + i);
            docs.push(doc);
        }
    }
    docs.truncate(100);
    let build = median(20, || {
        std::hint::black_box(SearchIndex::new(&docs));
    });
    let index = SearchIndex::new(&docs);
    println!(
        "\nSearching 100 articles ({:.0} KB of text; building the index once: {:.2} ms):",
        text_kb(&docs),
        ms(build)
    );
    for typed in [
        "s",
        "sc",
        "sci",
        "scia",
        "sciatica",
        "neck sh",
        "neck shoulder tension",
        "zzz",
    ] {
        let time = median(500, || {
            std::hint::black_box(index.search(typed));
        });
        println!(
            "  keystroke {typed:<24} {:>7.3} ms  ({} hits)",
            ms(time),
            index.search(typed).len()
        );
    }

    if let [flag, n, dir] = args.as_slice()
        && flag == "--generate"
    {
        let n: usize = n.parse().expect("--generate N DIR");
        generate(&library, n, Path::new(dir));
        println!("\nWrote content with {n} generated articles added to {dir}");
    }
}

fn generate(library: &Library, n: usize, dir: &Path) {
    let articles = dir.join("articles");
    std::fs::create_dir_all(&articles).expect("create the output folder");
    std::fs::copy("content/services.toml", dir.join("services.toml")).expect("copy services.toml");
    for entry in std::fs::read_dir("content/articles")
        .expect("content/articles")
        .flatten()
    {
        std::fs::copy(entry.path(), articles.join(entry.file_name())).expect("copy an article");
    }
    for i in 0..n {
        let source = &library.articles[i % library.articles.len()];
        let m = &source.meta;
        // Front matter is YAML: a JSON string is a quoted YAML string, whatever the text holds.
        let quoted = |text: &str| serde_json::to_string(text).expect("a string serialises");
        let text = format!(
            "---\ntitle: {}\nsummary: {}\ndate: {}\ncategory: {}\ntags: {}\n---\n{}",
            quoted(&format!("{} (copy {i})", m.title)),
            quoted(&m.summary),
            m.date,
            quoted(&m.category),
            quoted(&m.tags.join(", ")),
            source.body
        );
        std::fs::write(articles.join(format!("generated-{i}.md")), text).expect("write an article");
    }
}

fn text_kb(docs: &[massage_core::articles::search::SearchDoc]) -> f64 {
    docs.iter()
        .map(|d| d.body.len() + d.title.len() + d.summary.len())
        .sum::<usize>() as f64
        / 1024.0
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
