"""Code 128 (ISO/IEC 15417) module patterns of a dossier code, in code sets B and C.

A dossier code is printable ASCII, so code set B carries every character and
code set C packs runs of digits two to a symbol; set A (control characters) is
never needed. The choice of set follows python-barcode's, which printed the
codes before: start in C, leave it for B at the first character that is not a
digit (the odd digit left over goes in B), and go back to C before four or more
digits in a row; a start followed at once by a change of set becomes the start
of that set. So the bars on a receipt are those python-barcode drew before,
except for a code beginning with "99": python-barcode took that first pair's
value 99 for a change to set C and dropped it, so the bars said two digits
less than the caption. And printing no longer imports python-barcode, whose
package loads Pillow's font code and an SVG writer for a pattern of ones and
zeros.
"""

from __future__ import annotations

START_B, START_C = 104, 105
TO_B, TO_C = 100, 99  # the change of set, as a symbol of set C and of set B
STOP = "1100011101011"  # the stop symbol and its final bar
# The 106 symbols, value 0 to 105, one module per digit ("1" bar, "0" space).
SYMBOLS = (
    "11011001100",
    "11001101100",
    "11001100110",
    "10010011000",
    "10010001100",
    "10001001100",
    "10011001000",
    "10011000100",
    "10001100100",
    "11001001000",
    "11001000100",
    "11000100100",
    "10110011100",
    "10011011100",
    "10011001110",
    "10111001100",
    "10011101100",
    "10011100110",
    "11001110010",
    "11001011100",
    "11001001110",
    "11011100100",
    "11001110100",
    "11101101110",
    "11101001100",
    "11100101100",
    "11100100110",
    "11101100100",
    "11100110100",
    "11100110010",
    "11011011000",
    "11011000110",
    "11000110110",
    "10100011000",
    "10001011000",
    "10001000110",
    "10110001000",
    "10001101000",
    "10001100010",
    "11010001000",
    "11000101000",
    "11000100010",
    "10110111000",
    "10110001110",
    "10001101110",
    "10111011000",
    "10111000110",
    "10001110110",
    "11101110110",
    "11010001110",
    "11000101110",
    "11011101000",
    "11011100010",
    "11011101110",
    "11101011000",
    "11101000110",
    "11100010110",
    "11101101000",
    "11101100010",
    "11100011010",
    "11101111010",
    "11001000010",
    "11110001010",
    "10100110000",
    "10100001100",
    "10010110000",
    "10010000110",
    "10000101100",
    "10000100110",
    "10110010000",
    "10110000100",
    "10011010000",
    "10011000010",
    "10000110100",
    "10000110010",
    "11000010010",
    "11001010000",
    "11110111010",
    "11000010100",
    "10001111010",
    "10100111100",
    "10010111100",
    "10010011110",
    "10111100100",
    "10011110100",
    "10011110010",
    "11110100100",
    "11110010100",
    "11110010010",
    "11011011110",
    "11011110110",
    "11110110110",
    "10101111000",
    "10100011110",
    "10001011110",
    "10111101000",
    "10111100010",
    "11110101000",
    "11110100010",
    "10111011110",
    "10111101110",
    "11101011110",
    "11110101110",
    "11010000100",
    "11010010000",
    "11010011100",
)


def code128_values(code: str) -> list[int]:
    """The symbol values of ``code``, start symbol first, without the check symbol."""
    if not code or not code.isascii() or not code.isprintable():
        raise ValueError(f"a dossier code is printable ASCII, not {code!r}")
    values = [START_C]
    in_c = True
    pending = ""  # a digit of set C waiting for its pair
    for position, char in enumerate(code):
        if in_c and not char.isdigit():
            values.append(TO_B)
            in_c = False
            if pending:
                values.append(ord(pending) - 32)
                pending = ""
        elif not in_c and _digits_ahead(code, position) > 3:
            values.append(TO_C)
            in_c = True
        if not in_c:
            values.append(ord(char) - 32)
        elif pending:
            values.append(int(pending + char))
            pending = ""
        else:
            pending = char
    if pending:
        values += [TO_B, ord(pending) - 32]
    if values[1] == TO_B:
        values[:2] = [START_B]
    return values


def code128_pattern(code: str) -> str:
    """The module pattern of ``code``: start, data, check symbol and stop."""
    values = code128_values(code)
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    return "".join(SYMBOLS[v] for v in (*values, check)) + STOP


def _digits_ahead(code: str, position: int) -> int:
    """How many digits follow in a row from ``position`` (counting at most ten)."""
    count = 0
    for char in code[position : position + 10]:
        if not char.isdigit():
            break
        count += 1
    return count
