#!/usr/bin/env python3
"""Whole-system tests of the reseller API with real clients.

Drives a running coopreg (``wrangler dev`` or a deployment with the dev routes on) with
  * the OFFICIAL CentralNic Reseller Python SDK (``centralnicreseller-apiconnector`` 6.0.0),
    exactly as a reseller's software would use it, through a full .coop lifecycle; and
  * raw HTTP (urllib) for the GET / flat-field clients and the exact response grammar.

Plain Python, no pytest: each test is a function; ``main()`` runs them in order (later flow steps
use what earlier ones created), prints one line per test and ends with ``N passed, N failed``;
the exit status is non-zero when anything failed. Run (see tests/reseller/README.md):

    COOPREG_URL=http://127.0.0.1:8787 \\
    COOPREG_RESELLER_LOGIN=... COOPREG_RESELLER_PASSWORD=... \\
    COOPREG_RESELLER_LOGIN_2=... COOPREG_RESELLER_PASSWORD_2=... \\
    .tools/py/bin/python tests/reseller/test_sdk_flow.py [name-filter]

Dev routes used: ``GET /dev/outbox.json`` (sent mail, newest first), ``POST /dev/clock``
(``{"advance_days": n}``) and wrangler's ``GET /__scheduled?cron=...`` (runs the cron handler).

Result codes asserted where the core pins them (shared/src/error.rs, shared/src/reseller):
503 unknown attribute, 504 missing attribute, 505 bad syntax, 541 bad value, 545 not found,
531 not yours / wrong auth code, 552 status forbids, 556 over 10 years, 530 bad login,
549 name taken, 500 unknown command.
"""

import json
import os
import re
import secrets
import sys
import traceback
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import idna
from centralnicreseller.apiconnector.apiclient import APIClient

BASE = os.environ.get("COOPREG_URL", "http://127.0.0.1:8787").rstrip("/")
API = BASE + "/api/call.cgi"
LOGIN = os.environ.get("COOPREG_RESELLER_LOGIN", "")
PASSWORD = os.environ.get("COOPREG_RESELLER_PASSWORD", "")
LOGIN_2 = os.environ.get("COOPREG_RESELLER_LOGIN_2", "")
PASSWORD_2 = os.environ.get("COOPREG_RESELLER_PASSWORD_2", "")
TIMEOUT = 30

# Names unique to this run, so runs against the same database do not collide.
RUN = secrets.token_hex(3)


class Skip(Exception):
    """A test whose precondition (from an earlier step) is missing."""


# --- state shared by the flow steps -------------------------------------------------------------


class Flow:
    clients = {}  # 1, 2 -> logged-in APIClient
    contact = None  # handle of the first owner (verified during the flow)
    email = "owner-%s@example.org" % RUN
    domain_a = "sdk-%s-a.coop" % RUN  # main lifecycle domain
    domain_b = "sdk-%s-b.coop" % RUN  # transfer deny / cancel / lock
    domain_c = "sdk-%s-c.coop" % RUN  # transfer approved by the losing reseller
    pending = "sdk-%s-p.coop" % RUN  # stays PROCESSING (owner never verifies)
    pending_contact = None
    auth_a = None
    expiry_year_a = None
    verified = False
    transfer_requested = False
    transferred = False


def need(*names):
    for name in names:
        if not getattr(Flow, name):
            raise Skip("needs %s from an earlier step" % name)


# --- helpers ------------------------------------------------------------------------------------


def client(number=1, session=True):
    """An SDK client for reseller 1 or 2, pointed at our server (setURL last: see §2)."""
    login, password = (LOGIN, PASSWORD) if number == 1 else (LOGIN_2, PASSWORD_2)
    cl = APIClient()
    cl.setURL(API)
    cl.setCredentials(login, password)
    if session:
        r = cl.login()
        assert r.getCode() == 200, "login of reseller %d: %s %s" % (
            number,
            r.getCode(),
            r.getDescription(),
        )
    return cl


def r1():
    if 1 not in Flow.clients:
        Flow.clients[1] = client(1)
    return Flow.clients[1]


def r2():
    if 2 not in Flow.clients:
        Flow.clients[2] = client(2)
    return Flow.clients[2]


def relogin():
    """Sessions may expire when the dev clock jumps: start new ones."""
    Flow.clients = {}


def call(cl, command, **params):
    cmd = {"COMMAND": command}
    cmd.update({k.upper(): v for k, v in params.items()})  # None values are dropped by the SDK
    return cl.request(cmd)


def expect(r, code, detail=None):
    """Assert the result code (and that the description names `detail`)."""
    assert r.getCode() == code, "expected %d, got %d %s" % (code, r.getCode(), r.getDescription())
    if detail is not None:
        assert detail in r.getDescription(), "description %r lacks %r" % (
            r.getDescription(),
            detail,
        )
    return r


def col(r, name, index=0):
    return r.getColumnIndex(name, index)


def column(r, name):
    c = r.getColumn(name)
    return c.getData() if c is not None else []


def year_of(date):
    assert date and re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$", date), date
    return int(date[:4])


def http(method, url, data=None, headers=None):
    """(status, headers, body bytes) without raising on HTTP errors."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def add_contact(cl, email, org="Example Co-operative eG"):
    r = call(
        cl,
        "AddContact",
        FIRSTNAME="Anna",
        LASTNAME="Berg",
        ORGANIZATION=org,
        STREET=["Genossenschaftsweg 1", "Haus 2"],
        CITY="Berlin",
        ZIP="10115",
        COUNTRY="DE",
        PHONE="+49.301234567",
        EMAIL=email,
        NEW=1,
    )
    expect(r, 200)
    handle = col(r, "CONTACT")
    assert handle, "AddContact returns the handle in CONTACT[0]: %r" % r.getPlain()
    return handle


def add_domain(cl, name, contact, **extra):
    params = dict(
        DOMAIN=name,
        PERIOD=1,
        OWNERCONTACT0=contact,
        ADMINCONTACT0=contact,
        TECHCONTACT0=contact,
        BILLINGCONTACT0=contact,
        NAMESERVER=["ns1.example.net", "ns2.example.net"],
    )
    params["X-COOP-ELIGIBILITY"] = 1
    params.update(extra)
    return call(cl, "AddDomain", **params)


def status(cl, name):
    return call(cl, "StatusDomain", DOMAIN=name)


def outbox():
    code, _, body = http("GET", BASE + "/dev/outbox.json")
    assert code == 200, "GET /dev/outbox.json: HTTP %d" % code
    mails = json.loads(body)
    assert isinstance(mails, list), "outbox.json is a list"
    return mails


def addressed_to(mail, email):
    to = mail.get("to")
    targets = to if isinstance(to, list) else [to]
    return any(email.lower() in str(t).lower() for t in targets)


def local(link):
    """A link from an e-mail, re-rooted on COOPREG_URL (mails may carry a public base URL)."""
    parts = urllib.parse.urlsplit(link)
    path = parts.path + ("?" + parts.query if parts.query else "")
    return BASE + path


def verification_link(email):
    for mail in outbox():  # newest first
        if addressed_to(mail, email):
            for link in mail.get("links", []):
                if "/verify/" in link:
                    return local(link)
    raise AssertionError("no mail to %s with a /verify/ link in the outbox" % email)


class Forms(HTMLParser):
    """The forms of a page: [(action, {hidden or valued input name: value})]."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", {}))
        elif tag in ("input", "button") and self.forms and attrs.get("name"):
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind == "submit" and "confirm" not in (attrs.get("value") or "").lower():
                return  # only the confirming button is "pressed"
            self.forms[-1][1][attrs["name"]] = attrs.get("value") or ""


def confirm(link):
    """Open the verification page (which must not confirm anything) and POST its confirm form:
    the form whose action ends in /confirm, with its fields, else an empty POST to
    <link>/confirm."""
    code, _, page = http("GET", link)
    assert code == 200, "GET %s: HTTP %d" % (link, code)
    parser = Forms()
    parser.feed(page.decode("utf-8", "replace"))
    action, fields = link.rstrip("/") + "/confirm", {}
    for target, inputs in parser.forms:
        if urllib.parse.urlsplit(target).path.rstrip("/").endswith("/confirm"):
            action, fields = local(urllib.parse.urljoin(link, target)), inputs
            break
    return http(
        "POST",
        action,
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def advance_days(days):
    code, _, body = http(
        "POST",
        BASE + "/dev/clock",
        data=json.dumps({"advance_days": days}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert 200 <= code < 300, "POST /dev/clock: HTTP %d %r" % (code, body[:200])
    code, _, body = http("GET", BASE + "/__scheduled?cron=*/5+*+*+*+*")
    assert 200 <= code < 300, "GET /__scheduled: HTTP %d %r" % (code, body[:200])
    relogin()


# --- the response grammar (reseller-api.md §3.3) -------------------------------------------------

PROPERTY_LINE = re.compile(r"^property\[([A-Za-z0-9_ -]+)\]\[(\d+)\] = (.*)$")


def check_grammar(body):
    """Assert the exact grammar; return (code, description, {name: [values]})."""
    assert b"\r" not in body, "CR in response"
    text = body.decode("utf-8")
    assert text.endswith("EOF\n"), "must end with EOF and one LF: %r" % text[-20:]
    lines = text.split("\n")
    assert lines[-1] == "" and lines[-2] == "EOF", "EOF is the last line"
    lines = lines[:-2]
    assert all(lines), "no blank lines: %r" % text
    assert lines[0] == "[RESPONSE]", "first line [RESPONSE]: %r" % lines[0]
    m = re.match(r"^code = (\d{3})$", lines[1])
    assert m, "second line is the code: %r" % lines[1]
    code = int(m.group(1))
    assert lines[2].startswith("description = "), "third line the description: %r" % lines[2]
    description = lines[2][len("description = "):]
    rest = lines[3:]
    if rest and rest[0].startswith("queuetime = "):
        assert re.match(r"^queuetime = \d+(\.\d+)?$", rest[0]), rest[0]
        assert len(rest) > 1 and re.match(r"^runtime = \d+(\.\d+)?$", rest[1]), rest[:2]
        rest = rest[2:]
    properties = {}
    order = []
    for line in rest:
        m = PROPERTY_LINE.match(line)
        assert m, "not a property line: %r" % line
        name, index, value = m.group(1), int(m.group(2)), m.group(3)
        values = properties.setdefault(name, [])
        assert index == len(values), "property %r index %d out of order" % (name, index)
        if not values:
            order.append(name)
        elif order[-1] != name:
            raise AssertionError("property %r lines are not together" % name)
        values.append(value)
    assert order == sorted(order), "properties sorted by name: %r" % order
    # What a hand-rolled client does (§3.3 rule 2): must not raise.
    stripped = text.replace("[RESPONSE]\n", "").replace("EOF\n", "")
    for line in stripped.split("\n")[:-1]:
        line.split("=")[1]
    return code, description, properties


def raw(method="GET", query="", body=None, path="/api/call.cgi"):
    url = BASE + path + ("?" + query if query else "")
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
    code, headers, data = http(method, url, data=body, headers=headers)
    assert code == 200, "HTTP status is always 200, got %d" % code
    content_type = headers.get("Content-Type", "")
    assert content_type.startswith("text/plain"), "Content-Type %r" % content_type
    return check_grammar(data), data


def creds(number=1):
    login, password = (LOGIN, PASSWORD) if number == 1 else (LOGIN_2, PASSWORD_2)
    return urllib.parse.urlencode({"s_login": login, "s_pw": password})


# --- tests: sessions ----------------------------------------------------------------------------


def test_session_login_persistent():
    cl = client(1, session=False)
    r = cl.login()
    expect(r, 200)
    assert col(r, "SESSIONID"), "session id in property[sessionid][0]"
    year_of(col(r, "EXPIRATIONDATE"))
    expect(call(cl, "StatusAccount"), 200)
    Flow.clients[1] = cl


def test_session_logout_ends_it():
    cl = client(1)
    saved = {}
    cl.saveSession(saved)
    expect(cl.logout(), 200)
    stale = APIClient()
    stale.setURL(API)
    stale.reuseSession(saved)
    expect(call(stale, "StatusAccount"), 530, "Authentication failed")


def test_bad_password_530():
    cl = APIClient()
    cl.setURL(API)
    cl.setCredentials(LOGIN, PASSWORD + "-wrong")
    expect(cl.login(), 530, "Authentication failed")
    cl.setCredentials(LOGIN, PASSWORD + "-wrong")
    expect(call(cl, "StatusAccount"), 530)


def test_sessionless_credentials():
    cl = client(2, session=False)
    expect(call(cl, "StatusAccount"), 200)


def test_unknown_command_500():
    expect(call(r1(), "DeleteEverything"), 500, "Invalid command name")


# --- tests: contacts and registration -----------------------------------------------------------


def test_add_contact():
    Flow.contact = add_contact(r1(), Flow.email)
    r = expect(call(r1(), "StatusContact", CONTACT=Flow.contact), 200)
    assert col(r, "CONTACT") == Flow.contact, r.getPlain()
    assert col(r, "EMAIL") == Flow.email, r.getPlain()
    assert column(r, "STREET") == ["Genossenschaftsweg 1", "Haus 2"], r.getPlain()
    assert col(r, "COUNTRY") == "DE", r.getPlain()


def test_contact_errors():
    cl = r1()
    r = call(cl, "AddContact", FIRSTNAME="A", LASTNAME="B", STREET0="S", CITY="C", ZIP="1",
             COUNTRY="DE", PHONE="+49.1", EMAIL="a@example.org", **{"X-WRONGARGUMENT": 1})
    expect(r, 503, "Invalid attribute name; X-WRONGARGUMENT")
    r = call(cl, "AddContact", FIRSTNAME="A", LASTNAME="B", STREET0="S", CITY="C", ZIP="1",
             COUNTRY="DE", PHONE="+49.1")
    expect(r, 504, "Missing required attribute; EMAIL")
    expect(call(cl, "StatusContact", CONTACT="P-NO-SUCH-%s" % RUN), 545)


def test_invisible_characters_refused():
    """Issue 19: format characters that show nothing (zero width space, word joiner, BOM, soft
    hyphen) are refused in contact fields with the field named, and nothing is stored."""
    cl = r1()
    for name, char in (("U+200B", "\u200b"), ("U+2060", "\u2060"), ("U+FEFF", "\ufeff"),
                       ("U+00AD", "\u00ad")):
        email = "invisible-%s-%s@example.org" % (name[2:].lower(), RUN)
        r = call(cl, "AddContact", FIRSTNAME="Anna", LASTNAME="Berg",
                 ORGANIZATION="Example" + char + " eG", STREET0="Weg 1", CITY="Berlin",
                 ZIP="10115", COUNTRY="DE", PHONE="+49.301234567", EMAIL=email, NEW=1)
        expect(r, 505, "ORGANIZATION")
        assert "invisible" in r.getDescription() and name in r.getDescription(), r.getDescription()
        r = call(cl, "AddContact", FIRSTNAME="An" + char + "na", LASTNAME="Berg",
                 STREET0="Weg 1", CITY="Berlin", ZIP="10115", COUNTRY="DE",
                 PHONE="+49.301234567", EMAIL=email, NEW=1)
        expect(r, 505, "FIRSTNAME")
    # The same text without them is accepted.
    add_contact(cl, "visible-%s@example.org" % RUN, org="Example eG")


def test_add_domain_processing():
    need("contact")
    r = add_domain(r1(), Flow.domain_a, Flow.contact)
    expect(r, 200)
    assert r.isSuccess()
    assert not r.isPending(), "PROCESSING is not the SDK's REQUESTED"
    assert col(r, "STATUS") == "PROCESSING", r.getPlain()


DS = "31589 13 2 " + "3f" * 32
DNSKEY = "257 3 13 MG/C4TEobqpCdz7jxjNyGs0MwHbOBoCrWfvtffwgXRqc+GwDmbd0l18A0DQF6SguirP9ut8dLqdkj0zdr8ICew=="


def ds_of(owner, dnskey):
    """RFC 4034: the SHA-256 DS of a DNSKEY at `owner`, computed here, not by the registry."""
    import base64
    import hashlib

    flags, protocol, algorithm, key = dnskey.split(" ", 3)
    rdata = bytes([int(flags) >> 8, int(flags) & 255, int(protocol), int(algorithm)])
    rdata += base64.b64decode(key.replace(" ", ""))
    acc = sum(b << 8 if i % 2 == 0 else b for i, b in enumerate(rdata))
    acc += (acc >> 16) & 0xFFFF
    wire = b"".join(bytes([len(l)]) + l.lower().encode() for l in owner.split(".")) + b"\0"
    digest = hashlib.sha256(wire + rdata).hexdigest()
    return "%d %s 2 %s" % (acc & 0xFFFF, algorithm, digest)


def test_dnssec_attributes():
    """DNSSECDSDATA# and DNSSEC# as the SDK sends lists; StatusDomain's dnssecdsdata."""
    need("contact")
    name = "sdk-%s-dnssec.coop" % RUN
    r = add_domain(r1(), name, Flow.contact, DNSSECDSDATA=["31589 13 1 " + "ab" * 20])
    expect(r, 541, "DNSSECDSDATA0")
    assert "digest type `1` is not accepted" in r.getDescription(), r.getDescription()
    expect(add_domain(r1(), name, Flow.contact, DNSSECDSDATA=[DS]), 200)
    assert column(status(r1(), name), "DNSSECDSDATA") == [DS]
    expect(call(r1(), "ModifyDomain", DOMAIN=name, DNSSEC=[DNSKEY]), 200)
    assert column(status(r1(), name), "DNSSECDSDATA") == [ds_of(name, DNSKEY)]
    expect(call(r1(), "ModifyDomain", DOMAIN=name, DNSSEC=["256 3 1 AAAA"]), 541, "DNSSEC0")
    expect(call(r1(), "ModifyDomain", DOMAIN=name, DNSSECDSDATA0=""), 200)
    assert column(status(r1(), name), "DNSSECDSDATA") == []


def test_name_taken_while_processing():
    need("contact")
    expect(call(r1(), "CheckDomain", DOMAIN=Flow.domain_a), 211, "Domain name not available")
    expect(call(r1(), "CheckDomain", DOMAIN="free-%s.coop" % RUN), 210, "Domain name available")
    other = add_contact(r2(), "other-%s@example.org" % RUN)
    expect(add_domain(r2(), Flow.domain_a, other), 549)


def test_status_domain_unverified():
    need("contact")
    r = expect(status(r1(), Flow.domain_a), 200)
    assert col(r, "STATUS") == "PROCESSING", r.getPlain()
    assert col(r, "X-COOP-VERIFICATION") == "0", r.getPlain()
    assert col(r, "DOMAIN") == Flow.domain_a, r.getPlain()
    assert col(r, "OWNERCONTACT") == Flow.contact, r.getPlain()
    assert column(r, "NAMESERVER") == ["ns1.example.net", "ns2.example.net"], r.getPlain()


def test_add_domain_errors():
    need("contact")
    cl = r1()
    name = "sdk-%s-err.coop" % RUN
    r = add_domain(cl, name, Flow.contact)  # control: the same call is fine...
    expect(r, 200)
    expect(call(cl, "DeleteDomain", DOMAIN=name), 200)  # ...and freed at once (add grace)
    expect(add_domain(cl, name, Flow.contact, **{"X-COOP-ELIGIBILITY": None}), 504,
           "Missing required attribute; X-COOP-ELIGIBILITY")
    expect(add_domain(cl, name, Flow.contact, **{"X-COOP-ELIGIBILITY": 0}), 541,
           "X-COOP-ELIGIBILITY")
    expect(add_domain(cl, name, Flow.contact, PERIOD="one"), 505, "PERIOD")
    expect(add_domain(cl, name, Flow.contact, **{"X-IDN-LANGUAGE": "XX"}), 541, "X-IDN-LANGUAGE")
    expect(add_domain(cl, name, Flow.contact, **{"X-WHOISPRIVACY": 1}), 541, "X-WHOISPRIVACY")
    expect(add_domain(cl, "-bad-%s.coop" % RUN, Flow.contact), 505, "DOMAIN")
    expect(add_domain(cl, name, "P-NO-SUCH-%s" % RUN), 545)
    r = call(cl, "AddDomain", DOMAIN=name, PERIOD=1, OWNERCONTACT0=Flow.contact,
             ADMINCONTACT0=Flow.contact, TECHCONTACT0=Flow.contact,
             BILLINGCONTACT0=Flow.contact, NAMESERVER0="ns1.example.net",
             **{"X-COOP-ELIGIBILITY": 1})
    expect(r, 504, "NAMESERVER1")
    expect(call(cl, "CheckDomain", DOMAIN=name), 210)


def test_status_domain_errors():
    cl = r1()
    expect(call(cl, "StatusDomain", DOMAIN="never-%s.coop" % RUN), 545)
    expect(call(cl, "StatusDomain", DOMAIN=Flow.domain_a, LIMIT=1), 503,
           "Invalid attribute name; LIMIT")
    expect(call(cl, "StatusDomain"), 504, "Missing required attribute; DOMAIN")


def test_verification_get_does_not_confirm():
    need("contact")
    link = verification_link(Flow.email)
    code, _, _ = http("GET", link)
    assert code == 200, "verification page: HTTP %d" % code
    r = expect(status(r1(), Flow.domain_a), 200)
    assert col(r, "STATUS") == "PROCESSING", "opening the link must not confirm"


def test_verification_confirm_activates():
    need("contact")
    link = verification_link(Flow.email)
    code, _, body = confirm(link)
    assert 200 <= code < 300, "POST confirm: HTTP %d %r" % (code, body[:300])
    r = expect(status(r1(), Flow.domain_a), 200)
    assert col(r, "STATUS") == "ACTIVE", r.getPlain()
    assert col(r, "X-COOP-VERIFICATION") == "1", r.getPlain()
    Flow.expiry_year_a = year_of(col(r, "REGISTRATIONEXPIRATIONDATE"))
    Flow.auth_a = col(r, "AUTH")
    assert Flow.auth_a, "the sponsoring reseller sees the auth code"
    Flow.verified = True


def test_verified_owner_registers_at_once():
    need("verified")
    for name in (Flow.domain_b, Flow.domain_c):
        expect(add_domain(r1(), name, Flow.contact), 200)
        r = expect(status(r1(), name), 200)
        assert col(r, "STATUS") == "ACTIVE", r.getPlain()
        assert col(r, "X-COOP-VERIFICATION") == "1", r.getPlain()


def test_idn_domain_utf8():
    need("verified")
    unicode_name = "müller-%s.coop" % RUN
    ascii_name = idna.encode(unicode_name).decode()
    r = add_domain(r1(), unicode_name, Flow.contact, **{"X-IDN-LANGUAGE": "DE"})
    expect(r, 200)
    r = expect(status(r1(), ascii_name), 200)
    assert col(r, "DOMAIN") == ascii_name, r.getPlain()
    assert col(r, "DOMAINIDN") == unicode_name, r.getPlain()
    r = expect(status(r1(), unicode_name), 200)  # the API converts DOMAIN itself (§1.5)
    assert col(r, "DOMAIN") == ascii_name, r.getPlain()


def test_check_domains_per_item():
    need("contact")
    r = call(r1(), "CheckDomains",
             DOMAIN=[Flow.domain_a, "free-%s.coop" % RUN, "-bad-.coop"])
    expect(r, 200)
    checks = column(r, "DOMAINCHECK")
    assert len(checks) == 3, r.getPlain()
    assert checks[0].startswith("211"), checks
    assert checks[1].startswith("210"), checks
    assert checks[2].startswith("541"), checks
    assert column(r, "COLUMN") == ["domaincheck", "domainchecktime"], r.getPlain()


def test_reserved_names_are_not_available():
    need("contact")
    cl = r1()
    expect(call(cl, "CheckDomain", DOMAIN="nic.coop"), 211, "Domain name not available; reserved")
    r = call(cl, "CheckDomains", DOMAIN=["whois.coop", "free-%s.coop" % RUN])
    expect(r, 200)
    checks = column(r, "DOMAINCHECK")
    assert checks[0].startswith("211") and checks[0].endswith("reserved"), checks
    assert checks[1].startswith("210"), checks
    # Without the allocation token staff issue for it, a reserved name is refused; a token
    # that is not one of the registry's is refused too.
    expect(add_domain(cl, "www.coop", Flow.contact), 549, "reserved")
    expect(add_domain(cl, "www.coop", Flow.contact, **{"X-ALLOCATION-TOKEN": "A" * 22}), 531,
           "allocation token")
    expect(add_domain(cl, "www.coop", Flow.contact, **{"X-ALLOCATION-TOKEN": "bad token"}), 541,
           "X-ALLOCATION-TOKEN")


# --- tests: renew ---------------------------------------------------------------------------------


def test_renew_processing_552():
    need("contact")
    contact = add_contact(r1(), "pending-%s@example.org" % RUN)
    expect(add_domain(r1(), Flow.pending, contact), 200)
    Flow.pending_contact = contact
    r = expect(status(r1(), Flow.pending), 200)
    year = year_of(col(r, "REGISTRATIONEXPIRATIONDATE"))
    expect(call(r1(), "RenewDomain", DOMAIN=Flow.pending, PERIOD=1, EXPIRATION=year), 552)


def test_renew_with_expiration_and_repeat_refused():
    need("verified", "expiry_year_a")
    cl = r1()
    year = Flow.expiry_year_a
    r = expect(call(cl, "RenewDomain", DOMAIN=Flow.domain_a, PERIOD=1, EXPIRATION=year), 200)
    assert year_of(col(r, "REGISTRATIONEXPIRATIONDATE")) == year + 1, r.getPlain()
    again = call(cl, "RenewDomain", DOMAIN=Flow.domain_a, PERIOD=1, EXPIRATION=year)
    assert again.getCode() in (541, 555), "a retried renew is refused: %d %s" % (
        again.getCode(), again.getDescription())
    r = expect(status(cl, Flow.domain_a), 200)
    assert year_of(col(r, "REGISTRATIONEXPIRATIONDATE")) == year + 1, "renewed once only"
    Flow.expiry_year_a = year + 1


def test_renew_errors():
    need("verified", "expiry_year_a")
    cl = r1()
    year = Flow.expiry_year_a
    expect(call(cl, "RenewDomain", DOMAIN=Flow.domain_a, PERIOD=1), 504,
           "Missing required attribute; EXPIRATION")
    expect(call(cl, "RenewDomain", DOMAIN=Flow.domain_a, PERIOD=1, EXPIRATION="next"), 505,
           "EXPIRATION")
    # Two years left + 9 > 10 years.
    expect(call(cl, "RenewDomain", DOMAIN=Flow.domain_a, PERIOD=9, EXPIRATION=year), 556)
    expect(call(r2(), "RenewDomain", DOMAIN=Flow.domain_a, PERIOD=1, EXPIRATION=year), 531)
    expect(call(cl, "RenewDomain", DOMAIN="never-%s.coop" % RUN, PERIOD=1, EXPIRATION=year), 545)


# --- tests: other resellers' domains ----------------------------------------------------------------


def test_foreign_domain_531():
    need("verified")
    other = r2()
    expect(call(other, "ModifyDomain", DOMAIN=Flow.domain_a, TRANSFERLOCK=1), 531)
    expect(call(other, "DeleteDomain", DOMAIN=Flow.domain_a), 531)
    r = status(other, Flow.domain_a)
    assert r.getCode() in (531, 545), "a foreign domain is not shown: %d" % r.getCode()
    assert not col(r, "AUTH"), "the auth code is only shown to the sponsor"


def test_modify_domain_incremental():
    need("verified")
    cl = r1()
    expect(call(cl, "ModifyDomain", DOMAIN=Flow.domain_b, ADDNAMESERVER0="ns3.example.net",
                DELNAMESERVER0="ns1.example.net"), 200)
    r = expect(status(cl, Flow.domain_b), 200)
    assert column(r, "NAMESERVER") == ["ns2.example.net", "ns3.example.net"], r.getPlain()
    expect(call(cl, "ModifyDomain", DOMAIN=Flow.domain_b, ADDSTATUS0="serverHold"), 541,
           "ADDSTATUS0")
    expect(call(cl, "ModifyDomain", DOMAIN="never-%s.coop" % RUN, TRANSFERLOCK=1), 545)


# --- tests: transfers -----------------------------------------------------------------------------


def test_transfer_errors():
    need("verified")
    gaining = r2()
    expect(call(gaining, "TransferDomain", DOMAIN=Flow.domain_b, ACTION="REQUEST"), 504,
           "Missing required attribute; AUTH")
    expect(call(gaining, "TransferDomain", DOMAIN=Flow.domain_b, ACTION="PUSH", AUTH="x"), 541,
           "ACTION")
    expect(call(gaining, "TransferDomain", DOMAIN=Flow.domain_b, AUTH="wrong-" + RUN), 531)


def test_transfer_refused_while_locked_or_processing():
    need("verified")
    cl, gaining = r1(), r2()
    auth_b = col(expect(status(cl, Flow.domain_b), 200), "AUTH")
    expect(call(cl, "ModifyDomain", DOMAIN=Flow.domain_b,
                ADDSTATUS0="clientTransferProhibited"), 200)
    expect(call(gaining, "TransferDomain", DOMAIN=Flow.domain_b, AUTH=auth_b), 552)
    expect(call(cl, "ModifyDomain", DOMAIN=Flow.domain_b,
                DELSTATUS0="clientTransferProhibited"), 200)
    if Flow.pending_contact:
        auth_p = col(expect(status(cl, Flow.pending), 200), "AUTH")
        if auth_p:
            expect(call(gaining, "TransferDomain", DOMAIN=Flow.pending, AUTH=auth_p), 552)


def test_transfer_deny_and_cancel():
    need("verified")
    cl, gaining = r1(), r2()
    auth_b = col(expect(status(cl, Flow.domain_b), 200), "AUTH")
    expect(call(gaining, "TransferDomain", DOMAIN=Flow.domain_b, ACTION="REQUEST",
                AUTH=auth_b), 200)
    r = expect(call(cl, "StatusDomainTransfer", DOMAIN=Flow.domain_b), 200)
    assert (col(r, "TRANSFERSTATUS") or "").lower() == "pending", r.getPlain()
    expect(call(cl, "TransferDomain", DOMAIN=Flow.domain_b, ACTION="DENY"), 200)
    r = expect(status(cl, Flow.domain_b), 200)
    assert col(r, "STATUS") == "ACTIVE", r.getPlain()
    # Request again, and the gaining reseller withdraws.
    expect(call(gaining, "TransferDomain", DOMAIN=Flow.domain_b, AUTH=auth_b), 200)
    expect(call(gaining, "TransferDomain", DOMAIN=Flow.domain_b, ACTION="CANCEL"), 200)
    r = expect(status(cl, Flow.domain_b), 200)
    assert col(r, "STATUS") == "ACTIVE", r.getPlain()


def test_transfer_approved_by_losing_reseller():
    need("verified")
    cl, gaining = r1(), r2()
    auth_c = col(expect(status(cl, Flow.domain_c), 200), "AUTH")
    expect(call(gaining, "TransferDomain", DOMAIN=Flow.domain_c, AUTH=auth_c), 200)
    expect(call(cl, "TransferDomain", DOMAIN=Flow.domain_c, ACTION="APPROVE"), 200)
    r = expect(status(gaining, Flow.domain_c), 200)
    assert col(r, "STATUS") == "ACTIVE", r.getPlain()
    assert col(r, "AUTH") and col(r, "AUTH") != auth_c, "a new auth code after transfer"
    assert status(cl, Flow.domain_c).getCode() in (531, 545)


def test_transfer_request_with_auth_code():
    need("verified", "auth_a")
    r = call(r2(), "TransferDomain", DOMAIN=Flow.domain_a, ACTION="REQUEST", AUTH=Flow.auth_a)
    expect(r, 200)
    r = expect(call(r2(), "StatusDomainTransfer", DOMAIN=Flow.domain_a), 200)
    assert (col(r, "TRANSFERSTATUS") or "").lower() == "pending", r.getPlain()
    Flow.transfer_requested = True


def test_transfer_auto_approved_after_five_days():
    need("transfer_requested", "expiry_year_a")
    advance_days(6)
    r = expect(status(r2(), Flow.domain_a), 200)
    assert col(r, "STATUS") == "ACTIVE", r.getPlain()
    assert year_of(col(r, "REGISTRATIONEXPIRATIONDATE")) == Flow.expiry_year_a + 1, \
        "a transfer adds one year: %s" % r.getPlain()
    assert col(r, "AUTH") and col(r, "AUTH") != Flow.auth_a, "a new auth code"
    assert status(r1(), Flow.domain_a).getCode() in (531, 545), "the loser no longer sees it"
    Flow.transferred = True


# --- tests: delete and restore --------------------------------------------------------------------


def test_delete_and_restore():
    need("transferred")
    cl = r2()
    expect(call(cl, "DeleteDomain", DOMAIN=Flow.domain_a), 200)
    expect(call(cl, "CheckDomain", DOMAIN=Flow.domain_a), 211)  # in redemption, not free
    expect(call(cl, "RestoreDomain", DOMAIN=Flow.domain_a), 200)
    r = expect(status(cl, Flow.domain_a), 200)
    assert col(r, "STATUS") == "ACTIVE", r.getPlain()
    expect(call(cl, "RestoreDomain", DOMAIN=Flow.domain_a), 552)
    expect(call(cl, "RestoreDomain", DOMAIN="never-%s.coop" % RUN), 545)


def test_delete_in_add_grace_frees_at_once():
    need("verified")
    name = "sdk-%s-grace.coop" % RUN
    expect(add_domain(r1(), name, Flow.contact), 200)
    expect(call(r1(), "DeleteDomain", DOMAIN=name), 200)
    expect(call(r1(), "CheckDomain", DOMAIN=name), 210)


# --- tests: listing ---------------------------------------------------------------------------------


def test_query_domain_list_paging():
    need("verified")
    cl = r1()
    names = ["sdk-%s-list%d.coop" % (RUN, i) for i in range(3)]
    for name in names:
        expect(add_domain(cl, name, Flow.contact), 200)
    pattern = "sdk-%s-list*" % RUN
    r = expect(call(cl, "QueryDomainList", DOMAIN=pattern, FIRST=0, LIMIT=2), 200)
    assert column(r, "DOMAIN") == names[:2], r.getPlain()
    assert (col(r, "FIRST"), col(r, "LAST"), col(r, "LIMIT"), col(r, "COUNT"),
            col(r, "TOTAL")) == ("0", "1", "2", "2", "3"), r.getPlain()
    nxt = cl.requestNextResponsePage(r)
    assert nxt is not None and column(nxt, "DOMAIN") == names[2:], nxt and nxt.getPlain()
    pages = cl.requestAllResponsePages({"COMMAND": "QueryDomainList", "DOMAIN": pattern,
                                        "LIMIT": 2})
    found = [d for page in pages for d in column(page, "DOMAIN")]
    assert found == names, found
    r = expect(call(cl, "QueryDomainList", DOMAIN=pattern, WIDE=1), 200)
    assert column(r, "DOMAINIDN") == names, r.getPlain()
    expect(call(cl, "QueryDomainList", LAST=1), 503, "Invalid attribute name; LAST")
    expect(call(cl, "QueryDomainList", LIMIT="many"), 505, "LIMIT")
    r = expect(call(r2(), "QueryDomainList", DOMAIN=pattern), 200)
    assert column(r, "DOMAIN") == [], "only one's own domains are listed"


# --- tests: raw HTTP clients and the grammar --------------------------------------------------------


def test_raw_get_flat_fields():
    (code, description, properties), _ = raw(
        query=creds() + "&command=checkdomain&domain=free-%s.coop" % RUN, path="/api/call")
    assert (code, description) == (210, "Domain name available"), (code, description)
    (code, _, _), _ = raw(query=creds() + "&s_opmode=OTE&Command=StatusAccount")
    assert code == 200


def test_raw_mixed_query_and_body():
    (code, _, _), _ = raw(
        "POST", query=creds() + "&s_opmode=OTE",
        body=("command=CheckDomain&domain=free-%s.coop" % RUN).encode())
    assert code == 210


def test_raw_php_style_plus_encoding():
    body = creds() + "&s_command=" + urllib.parse.quote_plus(
        "COMMAND=CheckDomain\nDOMAIN=free-%s.coop" % RUN)
    (code, _, _), _ = raw("POST", body=body.encode())
    assert code == 210


def test_raw_session_start_and_use():
    (code, _, properties), _ = raw("POST", body=(creds() + "&persistent=1").encode())
    assert code == 200
    session = properties.get("sessionid", [""])[0]
    assert session, properties
    query = urllib.parse.urlencode({"s_login": LOGIN, "s_sessionid": session,
                                    "command": "StatusAccount"})
    (code, _, _), _ = raw(query=query)
    assert code == 200
    query = urllib.parse.urlencode({"s_login": LOGIN, "s_sessionid": session,
                                    "command": "StopSession"})
    (code, _, _), _ = raw(query=query)
    assert code == 200
    query = urllib.parse.urlencode({"s_login": LOGIN, "s_sessionid": session,
                                    "command": "StatusAccount"})
    (code, description, _), _ = raw(query=query)
    assert (code, description) == (530, "Authentication failed"), (code, description)


def test_raw_exact_error_bytes():
    _, data = raw(query=creds() + "&command=StatusDomain&domain=a-%s.coop&limit=1" % RUN)
    assert data == b"[RESPONSE]\ncode = 503\ndescription = Invalid attribute name; LIMIT\nEOF\n", data
    _, data = raw(query=creds() + "&command=StatusDomain")
    assert data == b"[RESPONSE]\ncode = 504\ndescription = Missing required attribute; DOMAIN\nEOF\n", data


def test_raw_bad_password_and_bad_encoding():
    query = urllib.parse.urlencode({"s_login": LOGIN, "s_pw": PASSWORD + "-wrong",
                                    "command": "StatusAccount"})
    (code, description, _), _ = raw(query=query)
    assert (code, description) == (530, "Authentication failed"), (code, description)
    (code, description, _), _ = raw("POST", body=(creds() + "&command=StatusAccount&x=%zz").encode())
    assert code == 505, (code, description)
    (code, _, _), _ = raw("POST", body=creds().encode() + b"&command=StatusAccount&x=%FF")
    assert code == 505


def test_raw_grammar_of_a_full_status():
    need("verified")
    (code, _, properties), data = raw(
        query=creds() + "&command=StatusDomain&domain=" + Flow.domain_b)
    assert code == 200, data
    for name in ("status", "registration expiration date", "owner contact", "nameserver",
                 "x-coop-verification", "created date", "domain"):
        assert name in properties, "property %r in %r" % (name, sorted(properties))


def test_raw_any_answer_is_http_200():
    for query in ("", "command=StatusAccount", creds() + "&command=Nope"):
        (code, _, _), _ = raw(query=query)
        assert code >= 500


# --- runner ---------------------------------------------------------------------------------------

TESTS = [
    test_session_login_persistent,
    test_session_logout_ends_it,
    test_bad_password_530,
    test_sessionless_credentials,
    test_unknown_command_500,
    test_add_contact,
    test_contact_errors,
    test_invisible_characters_refused,
    test_add_domain_processing,
    test_dnssec_attributes,
    test_name_taken_while_processing,
    test_status_domain_unverified,
    test_add_domain_errors,
    test_status_domain_errors,
    test_verification_get_does_not_confirm,
    test_verification_confirm_activates,
    test_verified_owner_registers_at_once,
    test_idn_domain_utf8,
    test_check_domains_per_item,
    test_reserved_names_are_not_available,
    test_renew_processing_552,
    test_renew_with_expiration_and_repeat_refused,
    test_renew_errors,
    test_foreign_domain_531,
    test_modify_domain_incremental,
    test_transfer_errors,
    test_transfer_refused_while_locked_or_processing,
    test_transfer_deny_and_cancel,
    test_transfer_approved_by_losing_reseller,
    test_transfer_request_with_auth_code,
    test_transfer_auto_approved_after_five_days,
    test_delete_and_restore,
    test_delete_in_add_grace_frees_at_once,
    test_query_domain_list_paging,
    test_raw_get_flat_fields,
    test_raw_mixed_query_and_body,
    test_raw_php_style_plus_encoding,
    test_raw_session_start_and_use,
    test_raw_exact_error_bytes,
    test_raw_bad_password_and_bad_encoding,
    test_raw_grammar_of_a_full_status,
    test_raw_any_answer_is_http_200,
]


def preflight():
    """A clear message instead of dozens of 421s when the server or the settings are missing."""
    missing = [name for name, value in (
        ("COOPREG_RESELLER_LOGIN", LOGIN), ("COOPREG_RESELLER_PASSWORD", PASSWORD),
        ("COOPREG_RESELLER_LOGIN_2", LOGIN_2), ("COOPREG_RESELLER_PASSWORD_2", PASSWORD_2),
    ) if not value]
    if missing:
        return "missing environment: " + ", ".join(missing)
    try:
        urllib.request.urlopen(urllib.request.Request(API, data=b""), timeout=TIMEOUT).read()
    except urllib.error.HTTPError as error:
        return "%s answered HTTP %d (the reseller API always answers 200)" % (API, error.code)
    except (urllib.error.URLError, OSError) as error:
        return "cannot connect to %s: %s" % (API, getattr(error, "reason", error))
    return None


def main(argv):
    selected = [t for t in TESTS if not argv[1:] or any(a in t.__name__ for a in argv[1:])]
    problem = preflight()
    if problem:
        print("FAIL preflight: " + problem)
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    for test in selected:
        try:
            test()
        except Skip as why:
            failed += 1
            print("FAIL %s: skipped, %s" % (test.__name__, why))
        except Exception as error:  # noqa: BLE001 - report every kind of failure and go on
            failed += 1
            detail = "".join(traceback.format_exception_only(type(error), error)).strip()
            print("FAIL %s: %s" % (test.__name__, detail))
            if os.environ.get("VERBOSE"):
                traceback.print_exc()
        else:
            passed += 1
            print("ok   %s" % test.__name__)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
