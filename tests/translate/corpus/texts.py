"""Text processing as users write it: tokenizers, counters, normalisers, line parsers."""

from __future__ import annotations


def tokenize_lower(text: str) -> list[str]:
    return text.lower().split()


def word_freq_stripped(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for word in text.split():
        word = word.strip(".,;:!?\"'()")
        if not word:
            continue
        counts[word] = counts.get(word, 0) + 1
    return counts


def normalise_spaces(text: str) -> str:
    return " ".join(text.split())


def parse_csv_line(line: str) -> list[str]:
    return [field.strip() for field in line.rstrip("\n").split(",")]


def parse_key_values(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if sep:
            out[key.strip()] = value.strip()
    return out


def char_ngrams(word: str, n: int) -> list[str]:
    padded = "<" + word + ">"
    return [padded[i : i + n] for i in range(len(padded) - n + 1)]


def word_bigrams(text: str) -> list[tuple[str, str]]:
    words = text.split()
    return [(words[i], words[i + 1]) for i in range(len(words) - 1)]


def is_palindrome_text(s: str) -> bool:
    cleaned = "".join(ch.lower() for ch in s if ch.isalnum())
    return cleaned == cleaned[::-1]


def rot13_text(s: str) -> str:
    out = []
    for ch in s:
        if "a" <= ch <= "z":
            out.append(chr((ord(ch) - ord("a") + 13) % 26 + ord("a")))
        elif "A" <= ch <= "Z":
            out.append(chr((ord(ch) - ord("A") + 13) % 26 + ord("A")))
        else:
            out.append(ch)
    return "".join(out)


def run_length_encode(s: str) -> str:
    if not s:
        return ""
    parts = []
    prev = s[0]
    count = 1
    for ch in s[1:]:
        if ch == prev:
            count += 1
        else:
            parts.append(str(count) + prev)
            prev = ch
            count = 1
    parts.append(str(count) + prev)
    return "".join(parts)


def run_length_decode(s: str) -> str:
    out = ""
    digits = ""
    for ch in s:
        if ch.isdigit():
            digits += ch
        else:
            out += ch * int(digits)
            digits = ""
    return out


def title_words(text: str) -> list[str]:
    return [w for w in text.split() if w[:1].isupper()]


def count_vowels_gen(s: str) -> int:
    return sum(1 for ch in s.lower() if ch in "aeiou")


def slugify(title: str) -> str:
    words = []
    for word in title.lower().split():
        kept = "".join(ch for ch in word if ch.isalnum())
        if kept:
            words.append(kept)
    return "-".join(words)


def strip_comments(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        i = line.find("#")
        if i >= 0:
            line = line[:i]
        line = line.rstrip()
        if line:
            out.append(line)
    return out


def fixed_width(rows: list[tuple[str, int]], width: int) -> list[str]:
    return [name.ljust(width, ".") + str(n).rjust(6) for name, n in rows]


def count_substring(text: str, sub: str) -> int:
    return text.count(sub)


def replace_all(text: str, old: str, new: str) -> str:
    return text.replace(old, new)


def sum_numbers(line: str) -> int:
    return sum(int(tok) for tok in line.split(","))


def file_extension(name: str) -> str:
    head, dot, ext = name.rpartition(".")
    if not dot or not head:
        return ""
    return ext.lower()


def words_with_prefix(words: list[str], prefixes: tuple[str, str]) -> list[str]:
    return [w for w in words if w.startswith(prefixes)]


def last_field(line: str, sep: str) -> str:
    return line.rsplit(sep, 1)[-1]


def chars_of(s: str) -> list[str]:
    return list(s)


def centre_title(s: str, width: int, fill: str) -> str:
    return s.center(width, fill)


def zero_pad(n: int, width: int) -> str:
    return str(n).zfill(width)


def float_text(xs: list[float]) -> list[str]:
    return [str(x) for x in xs]


def parse_ints(tokens: list[str]) -> list[int]:
    return [int(t) for t in tokens]


def index_of(s: str, sub: str) -> int:
    return s.index(sub)


def find_both(s: str, sub: str) -> tuple[int, int]:
    return s.find(sub), s.rfind(sub)


def split_with(s: str, sep: str, maxsplit: int) -> list[str]:
    return s.split(sep, maxsplit)


def rsplit_with(s: str, sep: str, maxsplit: int) -> list[str]:
    return s.rsplit(sep, maxsplit)


def split_ws_max(s: str, maxsplit: int) -> tuple[list[str], list[str]]:
    return s.split(maxsplit=maxsplit), s.rsplit(None, maxsplit)


def strips(s: str, chars: str) -> list[str]:
    return [s.strip(), s.lstrip(), s.rstrip(), s.strip(chars), s.lstrip(chars), s.rstrip(chars)]


def predicates(s: str) -> list[bool]:
    return [
        s.isalpha(),
        s.isdigit(),
        s.isalnum(),
        s.isspace(),
        s.isupper(),
        s.islower(),
        s.isdecimal(),
        s.isnumeric(),
        s.isascii(),
    ]


def cases(s: str) -> list[str]:
    return [s.lower(), s.upper(), s.casefold()]


def lines_of(s: str) -> list[str]:
    return s.splitlines()


def replace_n(s: str, old: str, new: str, n: int) -> str:
    return s.replace(old, new, n)


def pads(s: str, width: int) -> list[str]:
    return [s.ljust(width), s.rjust(width), s.center(width), s.zfill(width)]


def partitions(s: str, sep: str) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    return s.partition(sep), s.rpartition(sep)


def ends(s: str, a: str, b: str) -> list[bool]:
    return [s.startswith(a), s.endswith(a), s.startswith((a, b)), s.endswith((a, b))]


def int_text(n: int, flag: bool) -> str:
    return str(n) + ":" + str(flag)


def to_int(s: str) -> int:
    return int(s)


def repeat_join(words: list[str], sep: str, n: int) -> str:
    return sep.join(words) * n
