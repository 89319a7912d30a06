//! Pages in many languages: each page's words stemmed in its language, a
//! query read in the index's languages (or the one asked for), Chinese,
//! Japanese, Korean and Thai words found as the characters they are made of,
//! folding that makes each script's marks optional, and the same answers from
//! a sharded index.

mod common;

use common::sharded::{resolve, restore, store, tiny};
use engine::{
    encode_sharded, format, Index, IndexBuilder, LanguageRun, SearchOptions, SourceDocument,
};

fn page(id: &str, language: &str, body: &str) -> SourceDocument {
    let mut document = SourceDocument::new(id, id, id, body);
    document.language = language.to_owned();
    document
}

/// The ids of the hits for `query`, read in `language` (or in every language of the index).
fn hits(index: &Index<'_>, query: &str, language: Option<&str>) -> Vec<String> {
    let query = index.parse_query(query, language);
    let mut ids: Vec<String> = index
        .search(&query, &SearchOptions::default())
        .hits
        .iter()
        .map(|h| h.id.to_string())
        .collect();
    ids.sort();
    ids
}

fn multilingual() -> IndexBuilder {
    let mut builder = IndexBuilder::new();
    for document in [
        page(
            "en/install.html",
            "en",
            "Installing packages with the installer.",
        ),
        page(
            "fr/install.html",
            "fr",
            "Installation des paquets : l'installateur installe les paquets choisis.",
        ),
        page(
            "fr/reseau.html",
            "fr",
            "Configurer le réseau et les interfaces réseaux.",
        ),
        page(
            "de/netz.html",
            "de",
            "Die Netzwerke und die Größe der Häuser.",
        ),
        page("ru/elka.html", "ru", "Новогодняя ёлка и ёлки в лесу."),
        page("el/logos.html", "el", "Ο ΛΟΓΟΣ και οι λόγοι."),
        page("tr/sehir.html", "tr", "ISPARTA ve İzmir şehirleri."),
        page(
            "ja/crypto.html",
            "ja",
            "ファイルを暗号化する方法。パッケージマネージャの設定。ディストリビューション。",
        ),
        page("ja/other.html", "ja", "号化暗は暗い部屋の話です。"),
        page("ko/debian.html", "ko", "데비안은 자유 운영체제입니다."),
        page("zh/train.html", "zh", "新幹線と東京駅。"),
        page("th/lang.html", "th", "ภาษาไทยเป็นภาษาราชการ"),
    ] {
        builder.add(document);
    }
    builder
}

#[test]
fn each_page_is_stemmed_in_its_language() {
    let mut builder = multilingual();
    let index = builder.build();
    // By stemmer, the most pages' first: Japanese, Korean, Chinese and Thai
    // pages are stemmed as English ones (6 pages in all).
    assert_eq!(index.languages(), ["en", "fr", "de", "el", "ru", "tr"]);

    // French inflections find each other, accents optional.
    assert_eq!(hits(&index, "paquet ", None), ["fr/install.html"]);
    assert_eq!(hits(&index, "reseaux ", None), ["fr/reseau.html"]);
    assert_eq!(
        hits(&index, "installateurs ", Some("fr")),
        ["fr/install.html"]
    );
    // German: plural and umlauts (typed or not) find the page.
    assert_eq!(hits(&index, "Netzwerk ", None), ["de/netz.html"]);
    assert_eq!(hits(&index, "grosse ", None), ["de/netz.html"]);
    assert_eq!(hits(&index, "Häuser ", Some("de")), ["de/netz.html"]);
    // Russian ё written е, Greek final sigma and accents, Turkish i's.
    assert_eq!(hits(&index, "елка ", None), ["ru/elka.html"]);
    assert_eq!(hits(&index, "λογος ", None), ["el/logos.html"]);
    assert_eq!(hits(&index, "izmir ", None), ["tr/sehir.html"]);
    assert_eq!(hits(&index, "ısparta ", None), ["tr/sehir.html"]);
}

#[test]
fn a_query_is_read_in_the_language_asked_for() {
    let mut builder = multilingual();
    let index = builder.build();
    // `installateur` is French: read as English its stem is another.
    let french = index.parse_query("installateur ", Some("fr"));
    let english = index.parse_query("installateur ", Some("en"));
    let every = index.parse_query("installateur ", None);
    let term = |q: &engine::Query| q.clauses[0].alternatives[0].words[0].term.clone();
    assert_ne!(term(&french), term(&english));
    // Read in every language: the most pages' language's stem, and the others'.
    assert_eq!(every.languages[0], "en");
    assert_eq!(term(&every), term(&english));
    assert!(
        every.clauses[0].alternatives[0].words[0]
            .stems
            .contains(&term(&french)),
        "read in every language, the word has each language's stem"
    );
    // A language the site has no page in: every language the site has.
    assert_eq!(
        index.parse_query("paquets ", Some("pt-BR")).languages.len(),
        6
    );
    assert_eq!(
        index.parse_query("paquets ", Some("FR-ca")).languages,
        ["fr"]
    );
    // Japanese pages were stemmed as English ones: a Japanese query is read so.
    assert_eq!(
        index.parse_query("パッケージ", Some("ja")).languages,
        ["en"]
    );
}

#[test]
fn cjk_and_thai_words_are_found_as_their_characters_in_order() {
    let mut builder = multilingual();
    let index = builder.build();
    // The three characters adjacent and in order, not anywhere in the page.
    assert_eq!(hits(&index, "暗号化", None), ["ja/crypto.html"]);
    assert_eq!(hits(&index, "暗号化 ", Some("ja")), ["ja/crypto.html"]);
    // Inside a longer word (Katakana compounds, Korean particles, Thai's unspaced text).
    assert_eq!(hits(&index, "マネージャ ", None), ["ja/crypto.html"]);
    assert_eq!(hits(&index, "데비안 ", None), ["ko/debian.html"]);
    assert_eq!(hits(&index, "新幹線 ", None), ["zh/train.html"]);
    assert_eq!(hits(&index, "ราชการ ", None), ["th/lang.html"]);
    // Out of order is no match; a single character matches where it stands alone.
    assert!(hits(&index, "化号暗 ", None).is_empty());
    let mut both = hits(&index, "暗 ", None);
    both.sort();
    assert_eq!(both, ["ja/crypto.html", "ja/other.html"]);
}

#[test]
fn an_index_of_english_pages_names_no_language() {
    let mut builder = IndexBuilder::new();
    builder.add(page("a.txt", "", "Movements of labour."));
    builder.add(page("b.txt", "en-GB", "Labour's movement."));
    let index = builder.build();
    assert!(index.languages().is_empty());
    assert_eq!(hits(&index, "movement ", None), ["a.txt", "b.txt"]);
}

#[test]
fn both_modes_read_queries_in_the_same_languages() {
    let mut builder = multilingual();
    let memory = builder.build();
    let bytes = format::encode(&memory);
    let embedded = format::decode(&bytes).unwrap();
    assert_eq!(embedded.languages(), memory.languages());
    let files = encode_sharded(&memory, &tiny(), &mut store);
    assert_eq!(files.manifest.languages, memory.languages());
    for text in [
        "paquets ",
        "installateur",
        "暗号化",
        "데비안",
        "елка ",
        "grosse netzwerk",
        "le réseau",
        "les paquets ",
    ] {
        for language in [None, Some("fr"), Some("en")] {
            let query = embedded.parse_query(text, language);
            let want = embedded.search(&query, &SearchOptions::default());
            let mut sharded =
                Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
            let (got, _, _) = resolve(&mut sharded, &files, |index| {
                index.search(
                    &index.parse_query(text, language),
                    &SearchOptions::default(),
                )
            });
            assert_eq!(got, want, "{text} in {language:?}");
        }
    }
    // A word of ten characters is a phrase of ten words: their postings come
    // in one round, not one round each (which ran out of rounds).
    let mut sharded = Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
    let (got, rounds, _) = resolve(&mut sharded, &files, |index| {
        index.search(
            &index.parse_query("ディストリビューション", None),
            &SearchOptions::default(),
        )
    });
    assert_eq!(got.total, 1);
    assert!(rounds <= 4, "{rounds} rounds");
}

#[test]
fn a_stop_word_of_the_language_read_does_not_pad_the_list() {
    let mut builder = IndexBuilder::new();
    for document in [
        page(
            "fr/reseau.html",
            "fr",
            "Configurer le réseau et ses interfaces.",
        ),
        page("fr/noyau.html", "fr", "Le noyau Linux et le chargeur."),
        page(
            "en/intro.html",
            "en",
            "Le Mans is a city; the network is elsewhere.",
        ),
    ] {
        builder.add(document);
    }
    let index = builder.build();
    let total = |index: &Index<'_>, query: &str, language: Option<&str>| {
        let query = index.parse_query(query, language);
        index.search(&query, &SearchOptions::default()).total
    };
    // `le` is a French stop word: a page with `le` alone is no hit for `le réseau`.
    assert_eq!(hits(&index, "le réseau", Some("fr")), ["fr/reseau.html"]);
    assert_eq!(hits(&index, "le réseau", None), ["fr/reseau.html"]);
    // In English it is a word like any other (`Le Mans`): every page has it.
    assert_eq!(total(&index, "le réseau", Some("en")), 3);
    // Alone, a stop word is what is searched for.
    assert_eq!(total(&index, "le", Some("fr")), 3);
    // Both modes carry the lists.
    let bytes = format::encode(&index);
    let decoded = format::decode(&bytes).unwrap();
    assert_eq!(hits(&decoded, "le réseau", Some("fr")), ["fr/reseau.html"]);
    let files = encode_sharded(&index, &tiny(), &mut store);
    assert!(files.manifest.stop_words[0]
        .split(' ')
        .any(|word| word == "le"));
    let mut sharded = Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
    let (got, _, _) = resolve(&mut sharded, &files, |index| {
        index.search(
            &index.parse_query("le réseau", Some("fr")),
            &SearchOptions::default(),
        )
    });
    assert_eq!(got.total, 1);
}

#[test]
fn every_stemmed_language_opens_sharded_with_its_stop_words() {
    // Snowball's languages (`analysis::STEMMED_LANGUAGES`).
    for code in [
        "ar", "da", "de", "el", "en", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru",
        "sv", "ta", "tr",
    ] {
        let mut builder = IndexBuilder::new();
        builder.add(page("a.html", code, "words of a page"));
        let index = builder.build();
        let files = encode_sharded(&index, &tiny(), &mut store);
        let opened = Index::open_sharded(&files.manifest, &files.files[0], &mut restore);
        assert!(opened.is_ok(), "{code}: {:?}", opened.err());
        let bytes = format::encode(&index);
        assert!(format::decode(&bytes).is_ok(), "{code}");
    }
}

#[test]
fn a_site_in_several_languages_is_narrowed_to_the_one_asked_for() {
    let mut builder = multilingual();
    let index = builder.build();
    // Each page's language is a filter value: the site's, and each one's pages.
    let filter = index.language_filter("fr-CA").expect("French pages");
    assert_eq!(
        (filter.key.as_str(), filter.any.as_slice()),
        ("language", &["fr".to_owned()][..])
    );
    assert!(
        index.language_filter("pt").is_none(),
        "no page in Portuguese"
    );
    let options = SearchOptions {
        filters: vec![filter],
        ..SearchOptions::default()
    };
    let found = index.search(&index.parse_query("install", Some("fr")), &options);
    let ids: Vec<&str> = found.hits.iter().map(|h| h.id).collect();
    assert_eq!(ids, ["fr/install.html"]);
    // Without it, the English page too.
    let found = index.search(
        &index.parse_query("install", Some("fr")),
        &SearchOptions::default(),
    );
    assert_eq!(found.total, 2);

    // A site in one language has no such filter, and no facets at all.
    let mut builder = IndexBuilder::new();
    builder.add(page("a.html", "ja", "暗号化"));
    builder.add(page("b.html", "ja-JP", "暗号"));
    let index = builder.build();
    assert!(index.language_filter("ja").is_none());
    assert!(!index.has_page_facts());
}

#[test]
fn marks_are_read_by_the_stemmers_that_need_them_and_optional_in_queries() {
    let mut builder = IndexBuilder::new();
    builder.add(page("pt/plural.html", "pt", "Aplicações instaladas."));
    builder.add(page("pt/singular.html", "pt", "Uma aplicação."));
    builder.add(page("fr/cree.html", "fr", "Les fichiers créés."));
    builder.add(page("fr/creer.html", "fr", "Il a créé un fichier."));
    let index = builder.build();
    // Stemmed with their accents, singular and plural find each other.
    assert_eq!(
        hits(&index, "aplicação ", None),
        ["pt/plural.html", "pt/singular.html"]
    );
    assert_eq!(
        hits(&index, "aplicações ", None),
        ["pt/plural.html", "pt/singular.html"]
    );
    assert_eq!(
        hits(&index, "créées ", None),
        ["fr/cree.html", "fr/creer.html"]
    );
    // Typed without them, the word finds the pages that spell it as it stems.
    assert!(hits(&index, "aplicacao ", None).contains(&"pt/singular.html".to_owned()));
    assert!(hits(&index, "aplicacoes ", None).contains(&"pt/plural.html".to_owned()));
    // And while it is being typed, it is past its family's stem (`aplic`):
    // both forms, as a visitor types them.
    assert_eq!(
        hits(&index, "aplicacao", Some("pt")),
        ["pt/plural.html", "pt/singular.html"]
    );
    assert_eq!(
        hits(&index, "cree ", None),
        ["fr/cree.html", "fr/creer.html"]
    );
}

/// An English page that quotes `passage` (in `language`) between two English sentences.
fn quoting(id: &str, language: &str, passage: &str) -> SourceDocument {
    let before = "The manual quotes its translators:";
    let after = "End of the quoted applications.";
    let mut document = page(id, "en", &format!("{before} {passage} {after}"));
    let words = |text: &str| text.split_whitespace().count() as u32;
    document.language_runs = vec![
        LanguageRun {
            word: words(before),
            language: language.to_owned(),
        },
        LanguageRun {
            word: words(before) + words(passage),
            language: String::new(),
        },
    ];
    document
}

#[test]
fn a_passage_in_another_language_is_found_as_its_language_stems_it() {
    // Portuguese paragraphs quoted on an English site: enough words that
    // queries are read in Portuguese too.
    let paragraph = "As aplicações instaladas pelo gestor de pacotes. ".repeat(20);
    let mut builder = IndexBuilder::new();
    builder.add(quoting("quote.html", "pt-BR", &paragraph));
    builder.add(page(
        "plain.html",
        "en",
        "A page that writes aplicações in English text, and applications.",
    ));
    let index = builder.build();
    assert_eq!(index.languages(), ["en", "pt"]);
    // `aplicação` stems as `aplicações` does in Portuguese, not in English:
    // only the passage is found, read in English (the page's) or not.
    // Quoted, so that typos (`aplicacao`, English's stem of the other page's
    // `aplicaco`) find nothing more.
    for language in [Some("en"), None] {
        for query in ["\"aplicação\"", "\"as aplicação\"", "aplicação instalado"] {
            assert_eq!(
                hits(&index, query, language),
                ["quote.html"],
                "{query} {language:?}"
            );
        }
    }
    // A query in the passages' language is read in the pages' too: the
    // site has no page in Portuguese, and its English words are found.
    assert_eq!(
        hits(&index, "\"applications\"", Some("pt")),
        ["plain.html", "quote.html"]
    );
    assert_eq!(hits(&index, "\"aplicação\"", Some("pt")), ["quote.html"]);
    // The passage's words are the page's words too, as written.
    assert_eq!(
        hits(&index, "aplicações ", Some("en")),
        ["plain.html", "quote.html"]
    );
    // The English words around it are stemmed as English only: `applications`
    // after the passage finds what `application` does.
    assert_eq!(
        hits(&index, "application ", Some("en")),
        ["plain.html", "quote.html"]
    );
    // Both modes agree.
    let files = encode_sharded(&index, &tiny(), &mut store);
    assert_eq!(files.manifest.languages, index.languages());
    for language in [Some("en"), None] {
        let want = index.search(
            &index.parse_query("aplicação ", language),
            &SearchOptions::default(),
        );
        let mut sharded =
            Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
        let (got, _, _) = resolve(&mut sharded, &files, |index| {
            index.search(
                &index.parse_query("aplicação ", language),
                &SearchOptions::default(),
            )
        });
        assert_eq!(got, want, "{language:?}");
    }
}

#[test]
fn a_phrase_in_another_language_leaves_an_english_site_english() {
    // A few words are not worth a stemmer: the index stays English only (the
    // plain module reads it), and the words are found as written.
    let mut builder = IndexBuilder::new();
    builder.add(quoting("quote.html", "fr", "un certain je ne sais quoi"));
    builder.add(page("other.html", "en", "Nothing quoted here."));
    let index = builder.build();
    assert!(index.languages().is_empty());
    assert_eq!(hits(&index, "sais quoi", None), ["quote.html"]);
}

#[test]
fn elided_articles_are_not_part_of_the_word() {
    let mut builder = IndexBuilder::new();
    builder.add(page(
        "fr/arches.html",
        "fr",
        "Le nombre d'architectures prises en charge, et l’installateur.",
    ));
    builder.add(page(
        "it/app.html",
        "it",
        "Il file dell'applicazione e l'archivio.",
    ));
    builder.add(page(
        "en/dont.html",
        "en",
        "Don't panic, it's the architecture.",
    ));
    let index = builder.build();
    for (query, language, found) in [
        ("architecture ", "fr", "fr/arches.html"),
        ("installateur ", "fr", "fr/arches.html"),
        // The article typed too: the same word, and while it is typed.
        ("l'installateur ", "fr", "fr/arches.html"),
        ("d'archi", "fr", "fr/arches.html"),
        ("dell'appl", "it", "it/app.html"),
        ("applicazioni ", "it", "it/app.html"),
        ("archivio ", "it", "it/app.html"),
        // English has no elisions: `don't` is a word.
        ("don't ", "en", "en/dont.html"),
    ] {
        let hits = hits(&index, query, Some(language));
        assert!(hits.iter().any(|hit| hit == found), "{query}: {hits:?}");
    }
}
