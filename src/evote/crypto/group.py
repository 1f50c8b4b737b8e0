"""The ElectionGuard 1.x standard group and its typed elements.

Every number that arrives from outside (a ballot, a record, a guardian) becomes an
`ElementModP` or `ElementModQ` through `from_hex`/`checked`, which refuse anything out of
range; `ElementModP.require_subgroup` refuses anything outside the order-q subgroup, where
ElGamal and the Chaum-Pedersen proofs stop being sound.

Values are gmpy2 `mpz` underneath: one 4096-bit `powmod` is about a millisecond, so
the small wrapper objects cost nothing that matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import gmpy2
from gmpy2 import mpz

from .errors import InvalidElement

P_HEX = (
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
    "93C467E37DB0C7A4D1BE3F810152CB56A1CECC3AF65CC0190C03DF34709AFFBD"
    "8E4B59FA03A9F0EED0649CCB621057D11056AE9132135A08E43B4673D74BAFEA"
    "58DEB878CC86D733DBE7BF38154B36CF8A96D1567899AAAE0C09D4C8B6B7B86F"
    "D2A1EA1DE62FF8643EC7C271827977225E6AC2F0BD61C746961542A3CE3BEA5D"
    "B54FE70E63E6D09F8FC28658E80567A47CFDE60EE741E5D85A7BD46931CED822"
    "0365594964B839896FCAABCCC9B31959C083F22AD3EE591C32FAB2C7448F2A05"
    "7DB2DB49EE52E0182741E53865F004CC8E704B7C5C40BF304C4D8C4F13EDF604"
    "7C555302D2238D8CE11DF2424F1B66C2C5D238D0744DB679AF2890487031F9C0"
    "AEA1C4BB6FE9554EE528FDF1B05E5B256223B2F09215F3719F9C7CCC69DDF172"
    "D0D6234217FCC0037F18B93EF5389130B7A661E5C26E54214068BBCAFEA32A67"
    "818BD3075AD1F5C7E9CC3D1737FB28171BAF84DBB6612B7881C1A48E439CD03A"
    "92BF52225A2B38E6542E9F722BCE15A381B5753EA842763381CCAE83512B3051"
    "1B32E5E8D80362149AD030AABA5F3A5798BB22AA7EC1B6D0F17903F4E22D8407"
    "34AA85973F79A93FFB82A75C47C03D43D2F9CA02D03199BACEDDD4533A52566A"
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
)

G_HEX = (
    "1D41E49C477E15EAEEF0C5E4AC08D4A46C268CD3424FC01D13769BDB43673218"
    "587BC86C4C1448D006A03699F3ABAE5FEB19E296F5D143CC5E4A3FC89088C9F4"
    "523D166EE3AE9D5FB03C0BDD77ADD5C017F6C55E2EC92C226FEF5C6C1DF2E7C3"
    "6D90E7EAADE098241D3409983BCCD2B5379E9391FBC62F9F8D939D1208B16036"
    "7C134264122189595EC85C8CDBE5F9D307F46912C04932F8C16815A76B4682BD"
    "6BDC0ED52B00D8D30F59C731D5A7FFAE8165D53CF96649AAC2B743DA56F14F19"
    "DACC5236F29B1AB9F9BEFC69697293D5DEAD8B5BF5DE9BAB6DE67C45719E5634"
    "4A3CBDF3609824B1B578E34EAEB6DD3190AB3571D6D671C512282C1DA7BD36B4"
    "251D2584FADEA80B9E141423074DD9B5FB83ACBDEAD4C87A58FFF517F977A830"
    "80370A3B0CF98A1BC2978C47AAC29611FD6C40E2F9875C35D50443A9AA3F4961"
    "1DCD3A0D6FF3CB3FACF31471BDB61860B92C594D4E46569BB39FEEADFF1FD64C"
    "836A6D6DB85C6BA7241766B7AB56BF739633B054147F7170921412E948D9E474"
    "02D15BB1C257318612C121C36B80EB8433C08E7D0B7149E3AB0A8735A92EDCE8"
    "FF943E28A2DCEACFCC69EC318909CB047BE1C5858844B5AD44F22EEB289E4CC5"
    "54F7A5E2F3DEA026877FF92851816071CE028EB868D965CCB2D2295A8C55BD1C"
    "070B39B09AE06B37D29343B9D8997DC244C468B980970731736EE018BBADB987"
)

R_HEX = (
    "100000000000000000000000000000000000000000000000000000000000000B"
    "C93C467E37DB0C7A4D1BE3F810152CB56A1CECC3AF65CC0190C03DF34709B8AF"
    "6A64C0CEDCF2D559DA9D97F095C3076C686037619148D2C86C317102AFA21480"
    "31F04440AC0FF0C9A417A89212512E7607B2501DAA4D38A2C1410C4836149E2B"
    "DB8C8260E627C4646963EFFE9E16E495D48BD215C6D8EC9D1667657A2A1C8506"
    "F2113FFAD19A6B2BC7C45760456719183309F874BC9ACE570FFDA877AA2B23A2"
    "D6F291C1554CA2EB12F12CD009B8B8734A64AD51EB893BD891750B85162241D9"
    "08F0C9709879758E7E8233EAB3BF2D6AB53AFA32AA153AD6682E5A0648897C9B"
    "E18A0D50BECE030C3432336AD9163E33F8E7DAF498F14BB2852AFFA814841EB1"
    "8DD5F0E89516D557776285C16071D211194EE1C3F34642036AB886E3EC28882C"
    "E4003DEA335B4D935BAE4B58235B9FB2BAB713C8F705A1C7DE42220209D6BBCA"
    "CC467318601565272E4A63E38E2499754AE493AC1A8E83469EEF35CA27C271BC"
    "792EEE21156E617B922EA8F713C22CF282DC5D6385BB12868EB781278FA0AB2A"
    "8958FCCB5FFE2E5C361FC174420122B0163CA4A46308C8C46C91EA7457C136A7"
    "D9FD4A7F529FD4A7F529FD4A7F529FD4A7F529FD4A7F529FD4A7F529FD4A7F52"
    "A"
)

P: Final = mpz(P_HEX, 16)
"""p in the spec: a 4096-bit safe-ish prime, p = q·r + 1."""
Q: Final = mpz(2**256 - 189)
"""q in the spec: the 256-bit prime order of the subgroup."""
R: Final = mpz(R_HEX, 16)
"""r in the spec: the cofactor (p - 1) / q."""
G: Final = mpz(G_HEX, 16)
"""g in the spec: a generator of the order-q subgroup."""

assert (P - 1) == Q * R, "group constants are inconsistent"


def int_to_hex(value: int) -> str:
    """Upper-case hex with an even number of digits, as electionguard 1.4.0 writes numbers.

    The package formats with `02X` and prepends one "0" when the length is odd, so 0 is
    "00" and 0x5 is "05"; no padding to the modulus size.  Hashes depend on this exact text.
    """
    # mpz formats itself (no copy into a Python int); "X" then the odd-length rule gives
    # exactly the package's "02X" text
    text = format(value if isinstance(value, (int, mpz)) else int(value), "X")
    return "0" + text if len(text) % 2 else text


def hex_to_int(text: str) -> int:
    """Inverse of `int_to_hex`; raises `InvalidElement` on anything that is not hex."""
    if not isinstance(text, str) or not text or len(text) > 1100:
        raise InvalidElement(f"expected a hex string, got {text!r:.40}")
    # Only hex digits: int(..., 16) alone would also take "0x1F", "1_F" and " 1F ", which the
    # package refuses, and would give one ballot several JSON spellings.
    if text.strip("0123456789ABCDEFabcdef"):
        raise InvalidElement(f"not a hex number: {text!r:.40}")
    return int(text, 16)


@dataclass(frozen=True, slots=True)
class ElementModQ:
    """An exponent: an integer in [0, q)."""

    value: mpz

    def __post_init__(self) -> None:
        if not (0 <= self.value < Q):
            raise InvalidElement("element mod q out of range [0, q)")

    @classmethod
    def of(cls, value: int) -> ElementModQ:
        """Reduce any integer mod q; for values computed here, never for values read."""
        return cls(mpz(value) % Q)

    @classmethod
    def from_hex(cls, text: str) -> ElementModQ:
        return cls(mpz(hex_to_int(text)))

    def to_hex(self) -> str:
        return int_to_hex(self.value)

    def __int__(self) -> int:
        return int(self.value)

    def __add__(self, other: ElementModQ) -> ElementModQ:
        return ElementModQ((self.value + other.value) % Q)

    def __sub__(self, other: ElementModQ) -> ElementModQ:
        return ElementModQ((self.value - other.value) % Q)

    def __mul__(self, other: ElementModQ) -> ElementModQ:
        return ElementModQ((self.value * other.value) % Q)

    def __neg__(self) -> ElementModQ:
        return ElementModQ((-self.value) % Q)

    def inverse(self) -> ElementModQ:
        if self.value == 0:
            raise ZeroDivisionError("0 has no inverse mod q")
        return ElementModQ(gmpy2.invert(self.value, Q))


@dataclass(frozen=True, slots=True)
class ElementModP:
    """A group element: an integer in [0, p).  Subgroup membership is checked separately."""

    value: mpz

    def __post_init__(self) -> None:
        if not (0 <= self.value < P):
            raise InvalidElement("element mod p out of range [0, p)")

    @classmethod
    def from_hex(cls, text: str) -> ElementModP:
        return cls(mpz(hex_to_int(text)))

    def to_hex(self) -> str:
        return int_to_hex(self.value)

    def __int__(self) -> int:
        return int(self.value)

    def __mul__(self, other: ElementModP) -> ElementModP:
        return ElementModP((self.value * other.value) % P)

    def pow(self, exponent: ElementModQ | int) -> ElementModP:
        e = exponent.value if isinstance(exponent, ElementModQ) else mpz(exponent)
        return ElementModP(gmpy2.powmod(self.value, e, P))

    def inverse(self) -> ElementModP:
        if self.value == 0:
            raise ZeroDivisionError("0 has no inverse mod p")
        return ElementModP(gmpy2.invert(self.value, P))

    def is_valid_residue(self) -> bool:
        """In Z_p^r: 0 < x < p and x^q = 1 (the spec's check; one full powmod)."""
        return 0 < self.value < P and gmpy2.powmod(self.value, Q, P) == 1

    def require_subgroup(self, what: str = "element") -> ElementModP:
        if not self.is_valid_residue():
            raise InvalidElement(f"{what} is not in the order-q subgroup of Z_p*")
        return self


ZERO_MOD_Q: Final = ElementModQ(mpz(0))
ONE_MOD_Q: Final = ElementModQ(mpz(1))
ONE_MOD_P: Final = ElementModP(mpz(1))
G_MOD_P: Final = ElementModP(G)


def g_pow_p(exponent: ElementModQ | int) -> ElementModP:
    """g^e mod p, through the cached fixed-base table of `fastexp` (~7× a plain powmod).

    The table (4 MB, ~40 ms) is built on first use in each process.  Negative exponents keep
    the plain path.
    """
    e = exponent.value if isinstance(exponent, ElementModQ) else mpz(exponent)
    if e < 0:
        return G_MOD_P.pow(e)
    from .fastexp import g_pow  # fastexp imports this module

    return ElementModP(g_pow(e))


def mult_p(*elements: ElementModP) -> ElementModP:
    acc = mpz(1)
    for e in elements:
        acc = acc * e.value % P
    return ElementModP(acc)


def add_q(*elements: ElementModQ | int) -> ElementModQ:
    acc = mpz(0)
    for e in elements:
        acc += e.value if isinstance(e, ElementModQ) else e
    return ElementModQ(acc % Q)


def a_plus_bc_q(a: ElementModQ, b: ElementModQ, c: ElementModQ) -> ElementModQ:
    """a + b·c mod q: every Schnorr and Chaum-Pedersen response has this shape."""
    return ElementModQ((a.value + b.value * c.value) % Q)


def a_minus_b_q(a: ElementModQ, b: ElementModQ) -> ElementModQ:
    return ElementModQ((a.value - b.value) % Q)


def random_q_from_bytes(seed: bytes) -> ElementModQ:
    """Map 64 uniformly random bytes to [0, q) with negligible bias.

    `evote.crypto` draws no randomness itself: callers pass `secrets.token_bytes(64)` (or a
    seeded stream in tests and `evote simulate`).
    """
    if len(seed) < 48:
        raise ValueError("need at least 48 random bytes for a uniform element mod q")
    return ElementModQ(mpz(int.from_bytes(seed, "big")) % Q)
