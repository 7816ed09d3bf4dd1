//! Merchant data a fresh suite draws from: real-looking shop words and cities in Latin script,
//! Khmer and Japanese. Replacement text is taken character by character from these words, so a
//! fresh name reads like a name in its own script.

/// Latin-script words of shop names and cities (Cambodia, Japan, Thailand, Viet Nam).
pub const LATIN: &[&str] = &[
    "MEKONG", "ANGKOR", "LOTUS", "SAKURA", "KAPPA", "NOODLE", "BAKERY", "PHARMACY", "MARKET",
    "TEA", "HOUSE", "GARDEN", "SILK", "RIVER", "GOLDEN", "PALM", "MANGO", "RAMEN", "SUSHI",
    "KITCHEN", "COFFEE", "FLOWER", "BOOKS", "TAILOR", "REPAIR", "STUDIO", "HOTEL", "DELI",
    "PHNOM", "PENH", "SIEM", "REAP", "KAMPOT", "KEP", "TAKEO", "OSAKA", "KYOTO", "NAGOYA",
    "SAPPORO", "FUKUOKA", "SENDAI", "CHIANG", "KHON", "KAEN", "HANOI", "HUE", "DANANG",
    "CANTHO", "HAIPHONG", "YOKOHAMA", "KOBE", "NARA", "BATTAMBANG", "KRATIE", "PURSAT",
];

/// Khmer words of shop names and cities.
pub const KHMER: &[&str] = &[
    "ហាង", "កាហ្វេ", "នំបុ័ង", "ផ្សារ", "ភ្នំពេញ", "សៀមរាប", "កំពត", "បាត់ដំបង", "តាកែវ",
    "ឱសថស្ថាន", "គុយទាវ", "សណ្ឋាគារ", "សៀវភៅ", "ផ្កា", "មាស", "ទន្លេ", "ស្វាយ", "តែ",
];

/// Japanese words of shop names and cities (kana and kanji).
pub const JAPANESE: &[&str] = &[
    "さくら", "カフェ", "ラーメン", "すし", "パン屋", "薬局", "本屋", "花屋", "東京", "大阪",
    "京都", "名古屋", "札幌", "福岡", "仙台", "横浜", "神戸", "奈良", "喫茶", "食堂", "市場",
    "みどり", "ひかり", "コーヒー", "ベーカリー", "渋谷区", "新宿", "梅田",
];
