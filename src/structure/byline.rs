//! Reporters' names in a byline: 记者 戈驰川 尹雪, 记者吴志润通讯员穆伦刚, 本报记者  胡  健.

use std::ops::Range;

/// Names after a role word in a byline: "记者 戈驰川 尹雪)" → [戈驰川, 尹雪];
/// "记者吴志润通讯员穆伦刚" → [吴志润] (the next role is read on its own). Byte ranges into `t`.
pub(super) fn names(t: &str, mut at: usize) -> Vec<Range<usize>> {
    let is_han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let rest = &t[at..];
    let skip = rest.len() - rest.trim_start_matches([' ', '\u{3000}', ':', '：']).len();
    at += skip;
    let mut names = Vec::new();
    loop {
        let rest = &t[at..];
        let run: usize = rest
            .chars()
            .take_while(|&c| is_han(c))
            .map(char::len_utf8)
            .sum();
        if run == 0 {
            break;
        }
        let mut word = &rest[..run];
        let mut stopped_at_role = false;
        for role in ["通讯员", "记者", "摄影", "报道"] {
            match word.find(role) {
                // The next role (记者 李明远 通讯员 王刚): the caller reads it on its own.
                Some(0) => return names,
                Some(p) => {
                    word = &word[..p];
                    stopped_at_role = true;
                }
                None => {}
            }
        }
        // A photographer's credit: 宋朝军摄 gives 宋朝军.
        if let Some(name) = word.strip_suffix('摄')
            && name.chars().count() >= 2
        {
            word = name;
            stopped_at_role = true;
        }
        let n = word.chars().count();
        if n == 1 && !stopped_at_role {
            // A two-char name padded to the width of three: 胡  健, 朱 华.
            let tail = &rest[word.len()..];
            let pad = tail.len() - tail.trim_start_matches([' ', '\u{3000}']).len();
            let mut second = tail[pad..].chars();
            let single = second.next().is_some_and(is_han) && !second.next().is_some_and(is_han);
            if (1..=6).contains(&pad) && single {
                let len = word.len() + pad + tail[pad..].chars().next().map_or(0, char::len_utf8);
                word = &rest[..len];
            }
        }
        let n = word.chars().filter(|&c| is_han(c)).count();
        if !(2..=4).contains(&n) {
            break;
        }
        let after = rest[word.len()..].chars().next();
        let ends_ok =
            stopped_at_role || matches!(after, None | Some(' ' | '\u{3000}' | ')' | '）' | '、'));
        if !ends_ok {
            break;
        }
        names.push(at..at + word.len());
        at += word.len();
        if stopped_at_role {
            break;
        }
        let rest = &t[at..];
        let sep = rest.len() - rest.trim_start_matches([' ', '\u{3000}', '、']).len();
        if sep == 0 {
            break;
        }
        at += sep;
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bylines() {
        let t = "(记者 戈驰川 尹雪):产业";
        let found: Vec<&str> = names(t, t.find("记者").unwrap() + 6)
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(found, ["戈驰川", "尹雪"]);
        let t = "(记者吴志润通讯员穆伦刚)";
        let found: Vec<&str> = names(t, t.find("记者").unwrap() + 6)
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(found, ["吴志润"]);
        let t = "告诉记者:“今年大棚";
        assert!(names(t, t.find("记者").unwrap() + 6).is_empty());
        let t = "记者了解到,今年";
        assert!(names(t, t.find("记者").unwrap() + 6).is_empty());
        let t = "本报记者  胡  健  程远州";
        let found: Vec<&str> = names(t, t.find("记者").unwrap() + 6)
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(found, ["胡  健", "程远州"]);
        // The next role is no name; a photographer's credit ends before 摄.
        for (t, want) in [
            ("本报讯（记者 李明远 通讯员 王刚）近日", ["李明远"]),
            ("（本报记者 宋朝军摄）", ["宋朝军"]),
        ] {
            let found: Vec<&str> = names(t, t.find("记者").unwrap() + 6)
                .into_iter()
                .map(|r| &t[r])
                .collect();
            assert_eq!(found, want, "{t}");
        }
    }
}
