"""What our own mail server found out about the sender of an incoming mail.

Anyone can write another person's address in a mail's From. The server that
receives mail for Ledd checks SPF, DKIM and DMARC and writes its verdict into
an ``Authentication-Results`` header (RFC 8601) on top of the mail. Only that
header is worth anything: the sender can add as many as they like below it, in
any server's name. So Ledd trusts the topmost header whose authserv-id is the
one configured in ``ledd_request.authserv_id`` (empty: nothing is trusted), and
ignores every other. The raw message exists only while the mail is parsed: the
verdict is taken there and handed on in the parsed dict, where the support
request reads it (``ledd.request.message_new`` / ``message_update``).

The mail server must remove headers in its own name from incoming mail, as
RFC 8601 section 5 asks; Ledd only relies on its header being the topmost.
"""

import re

from odoo import api, models
from odoo.tools.mail import decode_message_header, email_normalize

AUTHSERV_ID_PARAM = "ledd_request.authserv_id"
# The key of the parsed dict that carries the verdict (True: the From domain vouched for the sender).
SENDER_AUTHENTICATED = "ledd_sender_authenticated"

_EQUALS = object()
_CHARS = re.compile(r"\\.|.", re.DOTALL)  # a backslash and the character it escapes count as one


def _tokenize(value):
    """Split a header value into ``;``-separated parts of words and ``=`` signs,
    skipping (comments) and reading "quoted strings" as one word, so that
    nothing inside a quoted or commented value can pass for a result."""
    parts, words = [], []
    word = None  # the word under way; None between words
    in_quote, depth = False, 0
    for char in _CHARS.findall(value):
        if in_quote:
            in_quote = char != '"'
            if in_quote:
                word.append(char[-1])
        elif depth:
            depth += {"(": 1, ")": -1}.get(char, 0)
        elif char.isspace() or char in ";=(":
            if word is not None:
                words.append("".join(word))
                word = None
            if char == "(":
                depth = 1
            elif char == ";":
                parts.append(words)
                words = []
            elif char == "=":
                words.append(_EQUALS)
        else:
            word = [] if word is None else word
            in_quote = char == '"'
            if not in_quote:
                word.append(char[-1])
    if word is not None:
        words.append("".join(word))
    parts.append(words)
    return parts


def parse_authentication_results(value):
    """``(authserv_id, results)`` of one Authentication-Results header value.

    Each result is ``{"method", "result", "props"}``, e.g. ``dmarc``, ``pass``,
    ``{"header.from": "example.com"}``; names are lowercased."""
    parts = _tokenize(value)
    head = [word for word in parts[0] if word is not _EQUALS]
    authserv_id = head[0].lower() if head else ""
    results = []
    for words in parts[1:]:
        pairs = [
            (key.lower(), val)
            for key, sign, val in zip(words, words[1:], words[2:], strict=False)
            if sign is _EQUALS and key is not _EQUALS and val is not _EQUALS
        ]
        if not pairs:
            continue  # "none", or nothing readable
        (method, result), properties = pairs[0], pairs[1:]
        props = {}
        for key, val in properties:
            props.setdefault(key, val)
        results.append({"method": method.split("/")[0], "result": result.lower(), "props": props})
    return authserv_id, results


def _domain(value):
    """The domain of an address, or the value itself when it is a domain."""
    return (value or "").rpartition("@")[2].strip().rstrip(".").lower()


def results_vouch_for(results, from_domain):
    """Whether ``results`` (of the trusted header) vouch for a sender in ``from_domain``.

    The rule, kept simple:
    - a DMARC result decides alone: only ``dmarc=pass`` for the From domain
      (``header.from``) counts; fail, none, temperror or another domain do not;
    - without a DMARC result: ``spf=pass`` for an envelope sender
      (``smtp.mailfrom``) in the From domain, or ``dkim=pass`` for a signature
      by the From domain (``header.d``, else ``header.i``).
    Alignment is strict: a subdomain or a parent domain of the From domain does
    not count."""
    if not from_domain:
        return False
    dmarc = [res for res in results if res["method"] == "dmarc"]
    if dmarc:
        return all(res["result"] == "pass" and _domain(res["props"].get("header.from")) == from_domain for res in dmarc)
    for res in results:
        if res["result"] != "pass":
            continue
        props = res["props"]
        if res["method"] == "spf" and _domain(props.get("smtp.mailfrom")) == from_domain:
            return True
        if res["method"] == "dkim" and _domain(props.get("header.d") or props.get("header.i")) == from_domain:
            return True
    return False


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_parse(self, message, save_original=False):
        msg_dict = super().message_parse(message, save_original=save_original)
        msg_dict[SENDER_AUTHENTICATED] = self._ledd_sender_authenticated(message)
        return msg_dict

    def _get_notify_valid_parameters(self):
        # The gateway posts the parsed dict as it is: threads that do not read
        # the verdict must accept it when it reaches their notifications.
        return super()._get_notify_valid_parameters() | {SENDER_AUTHENTICATED}

    @api.model
    def _ledd_sender_authenticated(self, message):
        """Whether our mail server vouches for the one address in From (see the module docstring)."""
        setting = self.env["ir.config_parameter"].sudo().get_param(AUTHSERV_ID_PARAM) or ""
        trusted = {authserv_id.strip().lower() for authserv_id in setting.split(",") if authserv_id.strip()}
        if not trusted:
            return False
        # strict: a From with several addresses names nobody
        from_address = email_normalize(decode_message_header(message, "From", separator=","))
        if not from_address:
            return False
        for header in message.get_all("Authentication-Results", []):
            authserv_id, results = parse_authentication_results(str(header))
            if authserv_id in trusted:
                return results_vouch_for(results, _domain(from_address))
        return False
