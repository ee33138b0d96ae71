"""Knowledge commands made safe to paste into a shell.

Commands carry placeholders such as ``{ORIGIN_DOMAIN}``. Printed as they are, a reader edits each
one by hand, and a value with a space, a quote or a ``$`` splits or breaks the command. So each
placeholder becomes a variable the reader sets once (``"${ORIGIN_DOMAIN}"``), or, when values are
given, the value quoted with ``shlex.quote``. The command is lexed with the shell's own quoting
rules (unquoted, ``'...'``, ``"..."``) and every placeholder is rewritten for its context; nothing
else in the command changes. Commands for Windows are PowerShell (``${env:ORIGIN_DOMAIN}``).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

Shell = Literal["sh", "powershell"]
Quote = Literal["none", "single", "double"]

PLACEHOLDER = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_SAFE_SH = re.compile(r"[\w@%+=:,./-]*", re.ASCII)
"""Characters a word may hold and still mean the same inside double quotes (shlex's safe set)."""
_SAFE_PS = re.compile(r"[\w%+=:./-]*", re.ASCII)
"""PowerShell gives `@` and `,` meaning outside quotes, so they keep the word as written."""


_TAKEN = frozenset(
    {
        "CDPATH", "DISPLAY", "EDITOR", "ENV", "EUID", "GROUPS", "HISTFILE", "HOME", "HOSTNAME",
        "HOSTTYPE", "IFS", "LANG", "LINENO", "LOGNAME", "MAIL", "OLDPWD", "OPTARG", "OPTIND",
        "OSTYPE", "PAGER", "PATH", "PPID", "PS1", "PS2", "PS4", "PWD", "RANDOM", "SECONDS",
        "SHELL", "SHLVL", "TEMP", "TERM", "TMP", "TMPDIR", "TZ", "UID", "USER", "USERNAME",
        "USERPROFILE", "VISUAL",
    }
)  # fmt: skip
"""Variables a shell or PowerShell already gives meaning to: setting PATH breaks the session."""
_TAKEN_PREFIXES = ("AWS_", "BASH", "LC_", "SSH_", "XDG_", "ZSH")


def variable(name: str) -> str:
    """The shell variable for a placeholder; names the environment already uses get `CF_`."""
    return f"CF_{name}" if name in _TAKEN or name.startswith(_TAKEN_PREFIXES) else name


def shell_of(platform: str) -> Shell:
    return "powershell" if platform.lower() == "windows" else "sh"


def placeholders(run: str) -> list[str]:
    """Placeholder names in order of first appearance."""
    return list(dict.fromkeys(PLACEHOLDER.findall(run)))


@dataclass(frozen=True, slots=True)
class _Segment:
    quote: Quote
    text: str
    """As written, without the surrounding quotes (escapes kept)."""
    closed: bool = True


def _words(run: str, shell: Shell) -> Iterator[str | list[_Segment]]:
    """The command as blanks (str) and words (their quoted and unquoted segments)."""
    escape = "`" if shell == "powershell" else "\\"
    i, n = 0, len(run)
    word: list[_Segment] = []
    plain = ""
    while i < n:
        ch = run[i]
        if ch in " \t\n":
            j = i
            while j < n and run[j] in " \t\n":
                j += 1
            if plain:
                word.append(_Segment("none", plain))
                plain = ""
            if word:
                yield word
                word = []
            yield run[i:j]
            i = j
        elif ch == escape and i + 1 < n:
            plain += run[i : i + 2]
            i += 2
        elif ch in "'\"":
            if plain:
                word.append(_Segment("none", plain))
                plain = ""
            quote: Quote = "single" if ch == "'" else "double"
            j, text = i + 1, ""
            while j < n:
                c = run[j]
                if quote == "double" and c == escape and j + 1 < n:
                    text += run[j : j + 2]
                    j += 2
                    continue
                if c == ch:
                    if shell == "powershell" and j + 1 < n and run[j + 1] == ch:
                        text += c + c  # '' and "" are an escaped quote in PowerShell
                        j += 2
                        continue
                    break
                text += c
                j += 1
            word.append(_Segment(quote, text, closed=j < n))
            i = j + 1
        else:
            plain += ch
            i += 1
    if plain:
        word.append(_Segment("none", plain))
    if word:
        yield word


class _Out:
    """A word being written as quoted chunks; empty quotes are dropped, adjacent ones merge."""

    def __init__(self) -> None:
        self.chunks: list[tuple[Quote, str]] = []

    def add(self, quote: Quote, text: str) -> None:
        if not text:
            return
        if self.chunks and self.chunks[-1][0] == quote and quote != "none":
            self.chunks[-1] = (quote, self.chunks[-1][1] + text)
        else:
            self.chunks.append((quote, text))

    def text(self, empty: str) -> str:
        marks = {"none": "", "single": "'", "double": '"'}
        out = "".join(marks[q] + t + marks[q] for q, t in self.chunks)
        return out or empty


def _ref(name: str, shell: Shell) -> str:
    """A reference to the placeholder's variable, for inside double quotes."""
    return f"${{env:{variable(name)}}}" if shell == "powershell" else f"${{{variable(name)}}}"


def _sh_double(text: str) -> str:
    """Literal text for inside "...": the four characters double quotes still interpret."""
    return re.sub(r'([\\"$`])', r"\\\1", text)


def _ps_single(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ps_double(text: str) -> str:
    return re.sub(r'([`"$])', r"`\1", text)


def _parts(text: str) -> Iterator[tuple[str, str | None]]:
    """(literal, placeholder name or None) pairs covering `text`."""
    pos = 0
    for m in PLACEHOLDER.finditer(text):
        yield text[pos : m.start()], m.group(1)
        pos = m.end()
    yield text[pos:], None


def _simple(word: list[_Segment], shell: Shell) -> bool:
    safe = _SAFE_PS if shell == "powershell" else _SAFE_SH
    return all(s.quote == "none" and safe.fullmatch(PLACEHOLDER.sub("", s.text)) for s in word)


def _render_word(word: list[_Segment], shell: Shell, values: Mapping[str, str]) -> str:
    if not any(PLACEHOLDER.search(s.text) for s in word) or not all(s.closed for s in word):
        return _as_written(word)
    names = [n for s in word for _, n in _parts(s.text) if n]
    if _simple(word, shell) and (
        all(n in values for n in names) or not any(n in values for n in names)
    ):
        text = "".join(s.text for s in word)
        if all(n in values for n in names):
            concrete = PLACEHOLDER.sub(lambda m: values[m.group(1)], text)
            return shlex.quote(concrete) if shell == "sh" else _ps_single(concrete)
        return '"' + PLACEHOLDER.sub(lambda m: _ref(m.group(1), shell), text) + '"'
    out = _Out()
    for seg in word:
        if shell == "sh":
            _sh_segment(out, seg, values)
        else:
            _ps_segment(out, seg, values)
    return out.text("''")


def _sh_segment(out: _Out, seg: _Segment, values: Mapping[str, str]) -> None:
    convert = seg.quote == "single" and "!" not in seg.text  # '...' -> "..." to expand variables
    for literal, name in _parts(seg.text):
        if seg.quote == "none":
            out.add("none", literal)
        elif convert:
            out.add("double", _sh_double(literal))
        else:
            out.add(seg.quote, literal)
        if name is None:
            continue
        if name in values:
            out.add("none", shlex.quote(values[name]))
        else:
            out.add("double", _ref(name, "sh"))


def _ps_segment(out: _Out, seg: _Segment, values: Mapping[str, str]) -> None:
    for literal, name in _parts(seg.text):
        if seg.quote == "single":
            # a single-quoted string cannot expand: write it as a double-quoted one
            out.add("double", _ps_double(literal.replace("''", "'")))
        else:
            out.add(seg.quote, literal)
        if name is None:
            continue
        if name in values:
            if seg.quote == "none":
                out.add("none", _ps_single(values[name]))
            else:
                out.add("double", _ps_double(values[name]))
        else:
            out.add("double", _ref(name, "powershell"))


def _as_written(word: list[_Segment]) -> str:
    marks = {"none": "", "single": "'", "double": '"'}
    return "".join(marks[s.quote] + s.text + (marks[s.quote] if s.closed else "") for s in word)


def render_command(run: str, platform: str = "any", values: Mapping[str, str] | None = None) -> str:
    """The command with every placeholder as a quoted variable reference or quoted value."""
    shell = shell_of(platform)
    given = {k: v for k, v in (values or {}).items() if v is not None}
    return "".join(
        piece if isinstance(piece, str) else _render_word(piece, shell, given)
        for piece in _words(run, shell)
    )


def variable_lines(names: list[str], shell: Shell, values: Mapping[str, str] | None = None) -> str:
    """Lines that set the variables the commands use, for the reader to fill in."""
    given = values or {}
    if shell == "powershell":
        return "\n".join(f"$env:{variable(n)} = {_ps_single(given.get(n, ''))}" for n in names)
    return "\n".join(f"{variable(n)}={shlex.quote(given.get(n, ''))}" for n in names)
