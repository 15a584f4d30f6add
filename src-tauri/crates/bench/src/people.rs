//! Invented people: names from many countries combined at random, with
//! addresses at the reserved `example.*` domains, so no real person is named.

use crate::rng::Rng;

const FIRST: &[&str] = &[
    "Ada", "Aiko", "Alejandro", "Amara", "Anders", "Aoife", "Arjun", "Astrid", "Bea", "Bilal", "Bruno", "Camille",
    "Carlos", "Chen", "Chiara", "Chloe", "Dafydd", "Dara", "Daniel", "Elena", "Eleni", "Emeka", "Emma", "Farah",
    "Felix", "Fatima", "Fionn", "Freya", "Gabriel", "Grace", "Hana", "Hannah", "Hugo", "Ines", "Isla", "Ivan",
    "Jakub", "Jana", "Javier", "Jonas", "Joao", "Julia", "Kai", "Kamala", "Karin", "Kenji", "Laila", "Lars",
    "Leila", "Liam", "Lucia", "Lukas", "Maja", "Malik", "Marek", "Maria", "Marta", "Mateo", "Mei", "Mia",
    "Milan", "Nadia", "Niamh", "Nikos", "Noah", "Nora", "Olga", "Oliver", "Omar", "Oscar", "Paula", "Pieter",
    "Priya", "Rafael", "Ravi", "Rosa", "Ruth", "Sakura", "Samir", "Sara", "Sean", "Sofia", "Sophie", "Stefan",
    "Tariq", "Teresa", "Theo", "Tomas", "Ula", "Valentina", "Vikram", "Wanjiru", "Wei", "Yara", "Yusuf", "Zofia",
];

const LAST: &[&str] = &[
    "Abara", "Adeyemi", "Andersson", "Bauer", "Becker", "Bianchi", "Brennan", "Carvalho", "Castillo", "Chowdhury",
    "Costa", "Dalgaard", "de Vries", "Dubois", "Eriksen", "Esposito", "Fernandes", "Fischer", "Fontaine", "Garcia",
    "Gonzalez", "Haddad", "Hansen", "Hofer", "Horvat", "Hughes", "Ibrahim", "Ivanova", "Jansen", "Jensen",
    "Kaminski", "Kato", "Keller", "Kim", "Kowalczyk", "Kumar", "Laurent", "Lehmann", "Lindqvist", "Lopez",
    "MacLeod", "Mahmoud", "Marino", "Martin", "Meier", "Mendes", "Moreau", "Morris", "Murphy", "Nakamura",
    "Nguyen", "Novak", "Nowak", "Oduya", "Okafor", "O'Neill", "Ortiz", "Papadopoulou", "Park", "Patel",
    "Pereira", "Petrov", "Popescu", "Quinn", "Ramos", "Reyes", "Ricci", "Rossi", "Sato", "Schmidt",
    "Schneider", "Silva", "Singh", "Sokolova", "Suzuki", "Svensson", "Tanaka", "Tran", "Varga", "Vasquez",
    "Virtanen", "Wagner", "Walsh", "Weber", "Whitfield", "Williams", "Wojcik", "Wright", "Yamamoto", "Yilmaz",
    "Young", "Zhang", "Zhou", "Zimmermann", "Zielinski", "Achterberg", "Brankovic", "Celik", "Dvorak", "Erdogan",
];

const DOMAINS: &[&str] = &["example.com", "example.org", "example.net", "mail.example", "example.co.uk", "example.de"];

/// One invented person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: Option<String>,
}

fn ascii_slug(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// The `n`-th person of a data set (n makes the address unique).
pub fn person(rng: &mut Rng, n: u64) -> Person {
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    let name = format!("{first} {last}");
    // About one request in twenty arrives without an email address (letter, phone).
    let email = (!rng.chance(0.05)).then(|| {
        let local = match rng.below(3) {
            0 => format!("{}.{}", ascii_slug(first), ascii_slug(last)),
            1 => format!("{}{}", &ascii_slug(first)[..1], ascii_slug(last)),
            _ => format!("{}_{}", ascii_slug(last), ascii_slug(first)),
        };
        format!("{local}{n}@{}", rng.pick(DOMAINS))
    });
    Person { name, email }
}

/// The officers who act on requests (the timeline's `actor`).
pub const OFFICERS: &[&str] = &["a.schmidt", "j.okoro", "m.dubois", "s.kowalski", "r.patel", "l.nielsen"];
