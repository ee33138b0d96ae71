"""Knowledge commands made safe to paste into a shell.

Commands carry placeholders such as ``{ORIGIN_DOMAIN}``. Printed as they are, a reader edits each
one by hand, and a value with a space, a quote or a ``$`` splits or breaks the command. So each
placeholder becomes a variable the reader sets once (``"${ORIGIN_DOMAIN}"``), or, when values are
given, the value quoted with ``shlex.quote``. The command is lexed with the shell's own quoting
rules (unquoted, ``'...'``, ``"..."``) and every placeholder is rewritten for its context; nothing
else in the command changes. Commands for Windows are PowerShell (``${env:ORIGIN_DOMAIN}``).

A command substitution ``$( ... )`` is a command of its own, quoted afresh even inside ``"..."``:
it is rendered by the same rules, recursively. Contexts where no quoting makes a value inert
(backticks, ``${...}``, ``$(( ... ))``, here-documents and PowerShell here-strings) are left as
written, placeholders unfilled; `unsafe_placeholders` names them so validation refuses such
knowledge.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

Shell = Literal["sh", "powershell"]
Quote = Literal["none", "single", "double"]
ItemKind = Literal["lit", "ph", "raw"]

PLACEHOLDER = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_SAFE_SH = re.compile(r"[\w@%+=:,./-]*", re.ASCII)
"""Characters a word may hold and still mean the same inside double quotes (shlex's safe set)."""
_SAFE_PS = re.compile(r"[\w%+=:./-]*", re.ASCII)
"""PowerShell gives `@` and `,` meaning outside quotes, so they keep the word as written."""
_PS_SINGLE = "'\u2018\u2019\u201a\u201b"
"""PowerShell ends a '...' string at any of these, not only at the ASCII quote."""
_PS_DOUBLE = '"\u201c\u201d\u201e'
_SINGLE = {"sh": "'", "powershell": _PS_SINGLE}
_DOUBLE = {"sh": '"', "powershell": _PS_DOUBLE}


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
    items: tuple[tuple[ItemKind, str], ...]
    """Literal text, placeholder names, and rendered command substitutions ("raw")."""
    closed: bool = True
    marks: tuple[str, str] = ("", "")


class _Builder:
    """One quoted (or unquoted) segment being lexed."""

    def __init__(self, quote: Quote) -> None:
        self.quote: Quote = quote
        self.written = ""
        self.items: list[tuple[ItemKind, str]] = []
        self._text = ""

    def lit(self, text: str) -> None:
        self.written += text
        self._text += text

    def opaque(self, text: str) -> None:
        self._flush()
        self.written += text
        self.items.append(("lit", text))

    def raw(self, rendered: str, written: str) -> None:
        self._flush()
        self.written += written
        self.items.append(("raw", rendered))

    def _flush(self) -> None:
        pos = 0
        for m in PLACEHOLDER.finditer(self._text):
            self.items.append(("lit", self._text[pos : m.start()]))
            self.items.append(("ph", m.group(1)))
            pos = m.end()
        self.items.append(("lit", self._text[pos:]))
        self._text = ""

    def __bool__(self) -> bool:
        return bool(self.written)

    def segment(self, closed: bool = True, marks: tuple[str, str] = ("", "")) -> _Segment:
        self._flush()
        items = tuple(i for i in self.items if i[0] != "lit" or i[1])
        return _Segment(self.quote, self.written, items, closed, marks)


def _skip_quoted(run: str, j: int, shell: Shell) -> int:
    """The index after the quoted string that starts at `j`."""
    escape = "`" if shell == "powershell" else "\\"
    single = run[j] in _SINGLE[shell]
    closer = _SINGLE[shell] if single else _DOUBLE[shell]
    k = j + 1
    while k < len(run):
        if not single and run[k] == escape:
            k += 2
            continue
        if run[k] in closer:
            return k + 1
        k += 1
    return len(run)


def _matching(run: str, k: int, shell: Shell) -> int:
    """The index of the bracket closing the one at `k`, skipping quotes; -1 if it never closes."""
    opener = run[k]
    closer = ")" if opener == "(" else "}"
    escape = "`" if shell == "powershell" else "\\"
    depth, j = 0, k
    while j < len(run):
        c = run[j]
        if c == escape:
            j += 2
            continue
        if c in _SINGLE[shell] or c in _DOUBLE[shell]:
            j = _skip_quoted(run, j, shell)
            continue
        if c == opener:
            depth += 1
        elif c == closer:
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


class _Lexer:
    def __init__(self, run: str, shell: Shell, values: Mapping[str, str], unsafe: list[str]):
        self.run, self.shell, self.values, self.unsafe = run, shell, values, unsafe

    def _opaque(self, b: _Builder, start: int, end: int) -> int:
        """Keep run[start:end] as written; its placeholders cannot be filled safely."""
        end = len(self.run) if end < 0 else end
        text = self.run[start:end]
        self.unsafe.extend(PLACEHOLDER.findall(text))
        b.opaque(text)
        return end

    def expansion(self, j: int, b: _Builder) -> int | None:
        """Lex an expansion starting at `j` into `b`; the index after it, or None if none."""
        run, shell = self.run, self.shell
        if shell == "sh" and run[j] == "`":
            end = j + 1
            while end < len(run) and run[end] != "`":
                end += 2 if run[end] == "\\" else 1
            return self._opaque(b, j, end + 1 if end < len(run) else -1)
        if run.startswith("$((", j) and shell == "sh":
            close = _matching(run, j + 1, shell)
            return self._opaque(b, j, close + 1 if close >= 0 else -1)
        if run.startswith("$(", j):
            close = _matching(run, j + 1, shell)
            if close < 0:
                return self._opaque(b, j, -1)
            inner = _render(run[j + 2 : close], shell, self.values, self.unsafe)
            b.raw("$(" + inner + ")", run[j : close + 1])
            return close + 1
        if run.startswith("${", j):
            close = _matching(run, j + 1, shell)
            return self._opaque(b, j, close + 1 if close >= 0 else -1)
        if b.quote == "none":
            heredoc = shell == "sh" and run.startswith("<<", j) and not run.startswith("<<<", j)
            herestring = (
                shell == "powershell"
                and run[j] == "@"
                and run[j + 1 : j + 2] in (_PS_SINGLE + _PS_DOUBLE)
            )
            if heredoc or herestring:
                return self._opaque(b, j, -1)
        return None

    def words(self) -> Iterator[str | list[_Segment]]:
        """The command as blanks (str) and words (their quoted and unquoted segments)."""
        run, shell = self.run, self.shell
        escape = "`" if shell == "powershell" else "\\"
        i, n = 0, len(run)
        word: list[_Segment] = []
        plain = _Builder("none")
        while i < n:
            ch = run[i]
            if ch in " \t\n":
                j = i
                while j < n and run[j] in " \t\n":
                    j += 1
                if plain:
                    word.append(plain.segment())
                    plain = _Builder("none")
                if word:
                    yield word
                    word = []
                yield run[i:j]
                i = j
            elif ch == escape and i + 1 < n:
                plain.lit(run[i : i + 2])
                i += 2
            elif ch in _SINGLE[shell] or ch in _DOUBLE[shell]:
                if plain:
                    word.append(plain.segment())
                    plain = _Builder("none")
                i = self._quoted(i, word)
            else:
                after = self.expansion(i, plain)
                if after is None:
                    plain.lit(ch)
                    i += 1
                else:
                    i = after
        if plain:
            word.append(plain.segment())
        if word:
            yield word

    def _quoted(self, i: int, word: list[_Segment]) -> int:
        run, shell, n = self.run, self.shell, len(self.run)
        escape = "`" if shell == "powershell" else "\\"
        single = run[i] in _SINGLE[shell]
        closer = _SINGLE[shell] if single else _DOUBLE[shell]
        seg = _Builder("single" if single else "double")
        j = i + 1
        while j < n:
            c = run[j]
            if not single:
                if c == escape and j + 1 < n:
                    seg.lit(run[j : j + 2])
                    j += 2
                    continue
                after = self.expansion(j, seg)
                if after is not None:
                    j = after
                    continue
            if c in closer:
                if shell == "powershell" and j + 1 < n and run[j + 1] in closer:
                    seg.lit(c + run[j + 1])  # a doubled quote is an escaped quote in PowerShell
                    j += 2
                    continue
                break
            seg.lit(c)
            j += 1
        closed = j < n
        segment = seg.segment(closed, (run[i], run[j] if closed else ""))
        if not closed:
            self.unsafe.extend(n for kind, n in segment.items if kind == "ph")
        word.append(segment)
        return j + 1


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
    """A PowerShell '...' string: every kind of single quote doubled, typographic ones too."""
    return "'" + re.sub(f"([{_PS_SINGLE}])", r"\1\1", text) + "'"


def _ps_double(text: str) -> str:
    return re.sub(f"([`$${_PS_DOUBLE}])", r"`\1", text)


def _simple(word: list[_Segment], shell: Shell) -> bool:
    safe = _SAFE_PS if shell == "powershell" else _SAFE_SH
    return all(
        s.quote == "none"
        and all(kind != "raw" for kind, _ in s.items)
        and safe.fullmatch(PLACEHOLDER.sub("", s.text))
        for s in word
    )


def _render_word(word: list[_Segment], shell: Shell, values: Mapping[str, str]) -> str:
    if not any(kind != "lit" for s in word for kind, _ in s.items) or not all(
        s.closed for s in word
    ):
        return _as_written(word)
    names = [text for s in word for kind, text in s.items if kind == "ph"]
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
    for kind, text in seg.items:
        if kind == "raw":
            out.add(seg.quote, text)  # a rendered $( ... ): never inside '...'
        elif kind == "lit":
            if seg.quote == "none":
                out.add("none", text)
            elif convert:
                out.add("double", _sh_double(text))
            else:
                out.add(seg.quote, text)
        elif text in values:
            out.add("none", shlex.quote(values[text]))
        else:
            out.add("double", _ref(text, "sh"))


def _ps_segment(out: _Out, seg: _Segment, values: Mapping[str, str]) -> None:
    for kind, text in seg.items:
        if kind == "raw":
            out.add(seg.quote, text)
        elif kind == "lit":
            if seg.quote == "single":
                # a single-quoted string cannot expand: write it as a double-quoted one
                out.add("double", _ps_double(re.sub(f"([{_PS_SINGLE}])\\1", r"\1", text)))
            elif seg.quote == "double":
                # normalise typographic quotes: the segment is written back between ASCII ones
                out.add("double", re.sub(f"[{_PS_DOUBLE}]", lambda m: "`" + m.group(), text))
            else:
                out.add("none", text)
        elif text in values:
            if seg.quote == "none":
                out.add("none", _ps_single(values[text]))
            else:
                out.add("double", _ps_double(values[text]))
        else:
            out.add("double", _ref(text, "powershell"))


def _as_written(word: list[_Segment]) -> str:
    return "".join(s.marks[0] + s.text + s.marks[1] for s in word)


def _render(run: str, shell: Shell, values: Mapping[str, str], unsafe: list[str]) -> str:
    return "".join(
        piece if isinstance(piece, str) else _render_word(piece, shell, values)
        for piece in _Lexer(run, shell, values, unsafe).words()
    )


def render_command(run: str, platform: str = "any", values: Mapping[str, str] | None = None) -> str:
    """The command with every placeholder as a quoted variable reference or quoted value.

    Placeholders that `unsafe_placeholders` names stay as written (inert text, never a value)."""
    given = {k: v for k, v in (values or {}).items() if v is not None}
    return _render(run, shell_of(platform), given, [])


def unsafe_placeholders(run: str, platform: str = "any") -> list[str]:
    """Placeholders in contexts where no quoting keeps a value from running as code."""
    unsafe: list[str] = []
    _render(run, shell_of(platform), {}, unsafe)
    return list(dict.fromkeys(unsafe))


def variable_lines(names: list[str], shell: Shell, values: Mapping[str, str] | None = None) -> str:
    """Lines that set the variables the commands use, for the reader to fill in."""
    given = values or {}
    if shell == "powershell":
        return "\n".join(f"$env:{variable(n)} = {_ps_single(given.get(n, ''))}" for n in names)
    return "\n".join(f"{variable(n)}={shlex.quote(given.get(n, ''))}" for n in names)
