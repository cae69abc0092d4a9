/* intent: what a reply asks for (see intent.h). */
#include <string.h>
#include <strings.h>

#include "intent.h"

#define TEXT_MAX	2048	/* bytes of unquoted text read */
#define WORDS_MAX	400
#define CLAUSES_MAX	100
#define WORD_MAX	48	/* longer "words" are not words */
#define NEGATION_SPAN	3	/* words between a negation and its verb */
#define SHORT_ANSWER	8	/* words: a bare "yes" is an answer */
#define LETTER_WORDS	60	/* words: past this, a letter for a person */
#define NOMATCH		((size_t)-1)

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * The phrase tables, in folded form: lower case, no accents, hyphens as
 * spaces, "e mail" as "email". In a phrase, "~" stands for up to two
 * words, "*" for one, and a word ending in '*' for any word it starts.
 */

/* Asking to be taken off, with the writer or the list as the object. */
static const char *const removal[] = {
	"remove me", "remove us", "remove ~ my email", "remove ~ my address",
	"remove my name ~ list", "remove this address", "remove this email",
	"remove ~ from ~ list", "take me off", "take us off",
	"take my ~ off", "take ~ email off", "get me off", "delete me",
	"delete my email", "delete my address", "delete my details",
	"delete my data", "delete my contact", "delete this address",
	"erase my", "drop me", "strike me", "cross me off",
	"leave the list", "leave this list", "leave your list",
	"off your list", "off the list", "off this list", "off the mailing",
	"off your mailing", "off this mailing", "cancel my subscription",
	"end my subscription", "stop my subscription", "opt me out",
	"opt out", "sign me off", "stop emailing", "stop e mailing",
	"stop sending", "stop mailing", "stop contacting", "stop writing to me",
	"stop spamming", "stop these emails", "stop the emails",
	"stop your emails", "stop these messages", "stop messaging me",
	"stop bothering me", "stop harassing me", "be removed",
	"be taken off", "be unsubscribed", "be deleted", "be struck off",
	/* Spanish */
	"darme de baja", "dar de baja", "denme de baja", "dadme de baja",
	"de baja", "darse de baja", "me doy de baja", "deme de baja",
	"sacarme de", "saquenme", "saquen me", "sacame", "sacadme",
	"quitarme de", "quitenme", "quiten me", "quitadme", "eliminenme",
	"eliminarme", "eliminame", "borrarme", "borrenme", "borren mi",
	"me borren", "me eliminen", "me saquen", "me quiten",
	"eliminen mi", "borrar mi correo", "eliminar mi correo",
	"dejen de enviarme", "dejen de mandarme", "dejen de escribirme",
	"dejad de enviarme", "cancelar mi suscripcion",
	"cancelar la suscripcion", "anular mi suscripcion",
	/* French */
	"retirez moi", "retirer de la liste", "me retirer", "me supprimer",
	"me rayer", "me enlever", "etre retire", "etre supprime",
	"etre desinscrit", "etre desinscrite", "etre desabonne", "retirez mon",
	"retirer mon",
	"supprimez moi", "supprimez mon", "supprimer mon", "effacez mon",
	"enlevez moi", "rayez moi", "arretez de m'envoyer",
	"arretez de m'ecrire", "cessez de m'envoyer", "arretez les mails",
	"arretez les emails", "annuler mon abonnement",
	/* German */
	"tragen sie mich ~ aus", "tragt mich ~ aus", "trage mich ~ aus",
	"entfernen sie mich", "entfernt mich", "entferne mich",
	"loschen sie meine", "loschen sie mich", "loscht mich",
	"loscht meine", "von der liste", "von ihrer liste", "vom verteiler",
	"aus dem verteiler", "hort auf mir", "horen sie auf mir",
	"abonnement kundigen", "newsletter kundigen", "entfernt werden",
	"geloscht werden", "ausgetragen werden", "abgemeldet werden",
	/* Portuguese */
	"me removam", "me remova", "remova me", "removam me", "remover me",
	"me retirem", "retirem me", "me tirem", "tirem me", "tirar me da",
	"sair da lista", "quero sair", "parem de me enviar",
	"parem de enviar", "deixem de me enviar", "cancelar minha inscricao",
	"cancelar inscricao", "cancelar a inscricao", "cancelar assinatura",
	"cancelar minha assinatura", "apaguem meu", "excluam meu",
	"ser removido", "ser removida", "ser excluido", "ser excluida",
	"ser descadastrado", "ser descadastrada",
	"me excluam", "excluir meu email",
	/* Italian */
	"rimuovetemi", "rimuovimi", "rimuovermi", "toglietemi", "toglimi",
	"togliermi", "cancellatemi", "cancellarmi", "smettete di inviarmi",
	"smettete di mandarmi", "smettetela di", "cancellare la mia iscrizione",
	"annullare l'iscrizione", "annullate la mia iscrizione",
	"eliminatemi", "eliminate il mio", "cancellami", "essere rimosso",
	"essere rimossa", "essere cancellato", "essere cancellata",
	/* Dutch */
	"schrijf me uit", "schrijf mij uit", "haal me van", "haal mij van",
	"verwijder mij", "verwijder me",
};

/* Asking for no more mail, the negation being the request itself. */
static const char *const no_more[] = {
	"don't email me", "don't e mail me", "don't send me",
	"don't contact me", "don't write to me", "don't mail me",
	"don't message me",
	"not email me", "not send me", "not contact me", "not write to me",
	"not mail me", "never email me", "never contact me",
	"no more emails", "no more email", "no more mail", "no more messages",
	"no more of these", "no more alerts", "no more newsletters",
	"no longer wish to receive", "no longer want to receive",
	"no longer receive", "no longer wish to be", "no longer want to be",
	"don't want ~ emails", "don't want ~ email", "don't want ~ messages",
	"don't want to receive", "not want to receive", "not wish to receive",
	"don't wish to receive", "not want ~ emails", "not want any more",
	"don't want any more", "want no more",
	/* Spanish */
	"no quiero recibir", "no quiero seguir recibiendo", "no deseo recibir",
	"no me envien", "no me manden", "no me escriban", "no me mandes",
	"no me envies", "no mas correos", "no mas emails", "no mas mensajes",
	"ya no quiero", "no quiero mas",
	/* French */
	"ne plus recevoir", "je ne veux plus", "ne m'envoyez plus",
	"ne plus etre contacte", "plus de mails", "plus de courriels",
	"plus de messages", "n'envoyez plus", "ne souhaite plus",
	/* German */
	"keine emails mehr", "keine mails mehr", "keine nachrichten mehr",
	"keine post mehr", "keine newsletter mehr", "keine zuschriften mehr",
	"nicht mehr erhalten", "nicht mehr bekommen", "nicht mehr zugeschickt",
	"nicht mehr anschreiben", "nicht mehr kontaktieren",
	"schicken sie mir keine", "schickt mir keine", "will keine",
	"mochte keine",
	/* Portuguese */
	"nao quero receber", "nao quero mais", "nao desejo receber",
	"nao me enviem", "nao me mandem", "nao quero continuar",
	/* Italian */
	"non voglio piu", "non voglio ricevere", "non desidero ricevere",
	"non inviatemi", "non mandatemi", "non mi inviate", "non mi mandate",
	"basta email", "basta mail",
	/* Dutch */
	"geen emails meer", "geen mails meer", "niet meer ontvangen",
};

/* Words that are a removal request when said plainly (see keyword). */
static const char *const removal_words[] = {
	"unsubscribe", "unsub", "optout", "desuscribir*", "desuscribanme",
	"desinscribir*", "desinscri*", "desabonn*", "abmelden", "abbestellen",
	"austragen", "descadastr*", "disiscriv*", "disiscrizione",
	"uitschrijven", "afmelden",
};

/* Saying yes to the alert's "will you sign?". */
static const char *const sign_phrases[] = {
	"sign me up", "sign me", "i sign", "i'll sign", "i will sign",
	"i would like to sign", "i'd like to sign", "i want to sign",
	"i am signing", "i'm signing", "i have signed", "add my name",
	"add me", "put my name", "put me down", "count me in", "i'm in",
	"i am in", "include me", "include my name",
	/* Spanish */
	"firmo", "yo firmo", "cuenten conmigo", "cuenta conmigo",
	"contad conmigo", "agreguen mi nombre", "anadan mi nombre",
	"pongan mi nombre", "anadid mi nombre", "quiero firmar",
	/* French */
	"je signe", "ajoutez mon nom", "ajoutez moi", "comptez sur moi",
	"je suis partant", "je suis partante", "je veux signer",
	"mettez mon nom",
	/* German */
	"ich unterschreibe", "unterschreibe", "ich bin dabei",
	"zahlt auf mich", "zahlen sie auf mich", "fugt meinen namen",
	"fugen sie meinen namen", "setzt meinen namen",
	"ich mochte unterschreiben",
	/* Portuguese */
	"assino", "eu assino", "contem comigo", "conte comigo",
	"adicionem meu nome", "coloquem meu nome", "quero assinar",
	"contar comigo", "contar conmigo",
	/* Italian */
	"firmo anch'io", "firmo anche io", "aggiungete il mio nome",
	"aggiungetemi", "contate su di me", "ci sto", "voglio firmare",
	/* Dutch */
	"ik teken", "ik onderteken", "tel mij mee", "tel me mee",
};

/* A removal request only when it is the whole clause. */
static const char *const removal_alone[] = { "baja", "remove me",
    "desuscribir" };

/* Saying no to signing, wherever in the clause. */
static const char *const refusals[] = {
	"won't sign", "will not sign", "not sign", "not signing",
	"never sign", "refuse to sign", "don't sign", "no firmo",
	"no voy a firmar", "no firmare", "ne signe pas", "ne signerai pas",
	"ne vais pas signer", "unterschreibe nicht", "nicht unterschreiben",
	"nao assino", "nao vou assinar", "non firmo", "non firmero",
	"teken niet", "niet tekenen",
};

/* A sign request only when it is the whole clause. */
static const char *const sign_alone[] = {
	"sign", "signed", "in", "firma", "signe", "assinado", "firmato",
	"unterschrieben", "teken",
};

/* Yes: a signature only as a short answer with nothing else in it. */
static const char *const yes_words[] = {
	"yes", "yep", "yeah", "yup", "sure", "ok", "okay", "absolutely",
	"definitely", "course", "gladly", "agreed", "certainly", "oui", "ja",
	"si", "sim", "claro", "supuesto", "bien", "sur", "plaisir",
	"naturlich", "gerne", "klar", "jawohl", "certo", "certamente",
	"volentieri", "d'accord", "acuerdo", "gusto", "of", "que", "avec",
	"con", "de", "vale", "please",
};

/* Turn what follows around ("don't remove me", "ne ... pas"). */
static const char *const negations[] = {
	"not", "don't", "dont", "never", "no", "won't", "wont", "can't",
	"cannot", "shouldn't", "wouldn't", "didn't", "doesn't", "isn't",
	"aren't", "nicht", "kein", "keine", "nie", "niemals", "ne", "n'",
	"pas", "jamais", "nunca", "jamas", "nao", "non", "mai", "niet",
	"nooit", "geen", "nada",
};

/* Negations that follow the verb: "tragen Sie mich nicht aus". */
static const char *const negations_after[] = { "nicht", "pas", "niet" };

/* A clause that is only one of these declines. */
static const char *const declines[] = {
	"no", "nope", "nah", "no thanks", "no thank you", "not now",
	"not yet", "not interested", "nein", "nein danke", "non",
	"non merci", "no gracias", "nao", "nao obrigado", "nao obrigada",
	"no grazie", "nee", "absolutely not", "no way", "never",
};

/* A question that still asks for something. */
static const char *const polite_requests[] = {
	"can you", "could you", "would you", "will you", "can u", "pls",
	"please", "how do i", "how can i", "how to", "where can i", "can i",
	"could i", "may i", "puede", "pueden", "podrian", "podria", "podrias",
	"puedes", "como", "pourriez", "pouvez", "pourrais", "comment",
	"konnen sie", "konnten sie", "kannst du", "wie", "podem", "poderiam",
	"pode", "podia", "potete", "potreste", "puoi", "come", "kunt u",
	"kunnen jullie", "hoe",
};

/* Not counted as what a reply says: greetings, thanks, please. */
static const char *const politeness[] = {
	"please", "pls", "plz", "kindly", "thanks", "thank", "you", "hi",
	"hello", "hey", "dear", "team", "bitte", "danke", "hallo", "liebe",
	"lieber", "por", "favor", "gracias", "hola", "merci", "svp", "s'il",
	"vous", "plait", "bonjour", "salut", "obrigado", "obrigada", "ola",
	"grazie", "ciao", "per", "buongiorno", "alstublieft", "dank",
	"bedankt", "immediately", "now", "asap", "again", "already",
	"today", "sofort", "ya", "agora", "subito", "cordialement", "regards",
	"best", "cheers", "saludos", "gruss", "grusse",
};

/* Words of the writer or the list after a removal word. */
static const char *const object_words[] = {
	"me", "us", "my", "from", "mich", "moi", "mi", "me", "nos", "mij",
	"meine", "meinen", "mon", "ma", "mes",
};

/* Words before a removal word that make it the writer's wish. */
static const char *const wish_words[] = {
	"please", "want", "wish", "like", "need", "how", "i", "ich", "je",
	"quiero", "quisiera", "deseo", "quero", "gostaria", "desejo",
	"voglio", "vorrei", "mochte", "mochten", "bitte", "favor",
	"veuillez", "svp", "souhaite", "voudrais", "veux", "wil", "graag",
	"pls", "kindly",
};

/* Mentioned with a removal, these make it about the action, not the list. */
static const char *const action_words[] = {
	"petition", "letter", "signature", "peticion", "peticao", "petizione",
	"lettre", "carta", "brief", "unterschrift", "firma", "assinatura",
	"signataire", "signatories", "signatures",
};

/* "But": a yes with a "but" is for a person. */
static const char *const but_words[] = {
	"but", "however", "though", "although", "aber", "jedoch", "mais",
	"cependant", "pero", "sin", "porem", "tuttavia", "pero", "maar",
};

struct clause {
	size_t	first;		/* its first word */
	size_t	n;		/* words */
	int	question;
};

struct reading {
	char		 buf[TEXT_MAX * 2];
	const char	*w[WORDS_MAX];
	size_t		 nw;
	struct clause	 c[CLAUSES_MAX];
	size_t		 nc;
};

const char *
intent_name(enum intent i)
{
	static const char *const names[] = { "other", "unsubscribe", "sign",
	    "contrary" };

	return i <= INTENT_CONTRARY ? names[i] : "?";
}

/*
 * Whether a line ends the writer's own text: a quote, an attribution
 * ("On ... wrote:", "Am ... schrieb ...:"), a signature separator, or a
 * client's "Original Message" and forwarded headers.
 */
static int
ends_own_text(const char *line, size_t n)
{
	static const char *const endings[] = { "wrote:", "writes:",
	    "a écrit :", "a écrit:", "schrieb:", "escribió:", "escreveu:",
	    "ha scritto:", "schreef:" };
	size_t i, e;

	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\r'))
		n--;
	if (n > 0 && line[0] == '>')
		return 1;
	if ((n == 2 && strncmp(line, "--", 2) == 0) || (n == 3 &&
	    strncmp(line, "-- ", 3) == 0) || strncmp(line, "-----", 5) == 0 ||
	    strncmp(line, "____", 4) == 0 ||
	    strncasecmp(line, "from:", 5) == 0 ||
	    strncasecmp(line, "von:", 4) == 0 || strncasecmp(line, "de:", 3) ==
	    0 || strncasecmp(line, "da:", 3) == 0)
		return 1;
	for (i = 0; i < NELEM(endings); i++) {
		e = strlen(endings[i]);
		if (n >= e && strncasecmp(line + n - e, endings[i], e) == 0)
			return 1;
	}
	return 0;
}

/* The writer's own text: the lines above the quote, joined. */
static size_t
own_text(const char *text, size_t len, char *out, size_t outsize)
{
	const char *p = text, *end = text + len;
	size_t o = 0;

	while (p < end && o + 2 < outsize) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n;

		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (ends_own_text(p, n))
			break;
		if (n > outsize - o - 2)
			n = outsize - o - 2;
		memcpy(out + o, p, n);
		o += n;
		out[o++] = '\n';
		p = nl + 1;
	}
	out[o] = '\0';
	return o;
}

/*
 * One character of UTF-8 text as folded ASCII: its letters (a Latin-1
 * letter without its accent, lower case), or 0 for a word break, or
 * '.' for a clause break and '?' for a question's end. *used is how
 * many bytes it took.
 */
static const char *
fold_char(const unsigned char *s, size_t left, size_t *used)
{
	/* U+00C0 to U+00FF, by their second UTF-8 byte 0x80..0xbf. */
	static const char *const latin1[64] = {
		"a", "a", "a", "a", "a", "a", "ae", "c",
		"e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", "",
		"o", "u", "u", "u", "u", "y", "", "ss",
		"a", "a", "a", "a", "a", "a", "ae", "c",
		"e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", "",
		"o", "u", "u", "u", "u", "y", "", "y",
	};
	static __thread char one[2];

	*used = 1;
	if (s[0] < 0x80) {
		unsigned char c = s[0];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '\'') {
			one[0] = (char)c;
			return one;
		}
		if (c == '?')
			return "?";
		if (c == '.' || c == '!' || c == ';' || c == ':' || c == ',' ||
		    c == '\n')
			return ".";
		return "";	/* space, hyphen, other punctuation */
	}
	if (s[0] == 0xc3 && left >= 2 && s[1] >= 0x80 && s[1] <= 0xbf) {
		*used = 2;
		return latin1[s[1] - 0x80];
	}
	if (s[0] == 0xe2 && left >= 3 && s[1] == 0x80 && (s[2] == 0x98 ||
	    s[2] == 0x99)) {
		*used = 3;
		return "'";	/* a typographic apostrophe */
	}
	if (s[0] == 0xc2 && left >= 2) {
		*used = 2;
		return "";	/* ¡ ¿ « » and the like */
	}
	/* Another letter: kept as it is, one byte at a time. */
	one[0] = (char)s[0];
	return one;
}

/* Ends the word being built at buf[*o], folding "e mail" into "email". */
static void
end_word(struct reading *r, size_t start, size_t *o)
{
	const char *w = r->buf + start;

	if (*o == start)
		return;
	r->buf[(*o)++] = '\0';
	if (*o - start > WORD_MAX) {
		*o = start;
		return;
	}
	if (r->nw > 0 && strcmp(r->w[r->nw - 1], "e") == 0 &&
	    r->c[r->nc].n > 0 && (strcmp(w, "mail") == 0 ||
	    strcmp(w, "mails") == 0)) {
		r->w[r->nw - 1] = strcmp(w, "mail") == 0 ? "email" : "emails";
		*o = start;
		return;
	}
	if (r->nw == WORDS_MAX)
		return;
	r->w[r->nw++] = w;
	r->c[r->nc].n++;
}

static void
end_clause(struct reading *r, int question)
{
	if (r->c[r->nc].n == 0 || r->nc + 1 >= CLAUSES_MAX)
		return;
	r->c[r->nc].question = question;
	r->nc++;
	r->c[r->nc].first = r->nw;
	r->c[r->nc].n = 0;
	r->c[r->nc].question = 0;
}

/* Cuts folded text into words and clauses. */
static void
read_clauses(struct reading *r, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, o = 0, start = 0, used;

	memset(r->c, 0, sizeof(r->c));
	r->nw = r->nc = 0;
	while (i < len && s[i] != '\0' && o + 4 < sizeof(r->buf)) {
		const char *f = fold_char(s + i, len - i, &used);

		i += used;
		if (f[0] == '\0' || f[0] == '.' || f[0] == '?') {
			end_word(r, start, &o);
			start = o;
			if (f[0] != '\0')
				end_clause(r, f[0] == '?');
			continue;
		}
		while (*f != '\0')
			r->buf[o++] = *f++;
	}
	end_word(r, start, &o);
	end_clause(r, 0);
}

static int
word_is(const char *w, const char *p, size_t len)
{
	if (len > 0 && p[len - 1] == '*' && len > 1)
		return strncmp(w, p, len - 1) == 0;
	/* (p holds no NUL in its len bytes: equal there, w is as long) */
	return strncmp(w, p, len) == 0 && w[len] == '\0';
}

/*
 * Whether phrase p may match at word w: most tries fail at the first
 * letter, and this runs for every phrase at every word of a reply, so
 * it is asked before anything is measured. A gap (~) or any word (*)
 * may match anything.
 */
static int
may_start(const char *p, const char *w)
{
	return *p == *w || *p == '~' || *p == '*';
}

/* Where phrase p matches w[i..n) from i: the index past it, or NOMATCH. */
static size_t
match_from(const char *const *w, size_t n, size_t i, const char *p)
{
	size_t len, k, r;
	const char *next;

	if (*p == '\0')
		return i;
	if (i >= n ? *p != '~' : !may_start(p, w[i]))
		return NOMATCH;
	len = strcspn(p, " ");
	next = p[len] == ' ' ? p + len + 1 : p + len;
	if (len == 1 && *p == '~') {
		for (k = 0; k <= 2 && i + k <= n; k++) {
			r = match_from(w, n, i + k, next);
			if (r != NOMATCH)
				return r;
		}
		return NOMATCH;
	}
	if (i >= n || !((len == 1 && *p == '*') || word_is(w[i], p, len)))
		return NOMATCH;
	return match_from(w, n, i + 1, next);
}

static int
is_one_of(const char *w, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (*w == *list[i] && word_is(w, list[i], strlen(list[i])))
			return 1;
	return 0;
}

/*
 * Is there a negation shortly before w[at], inside the match (a gap
 * that held "nicht": "tragen Sie mich nicht aus"), or just after it?
 */
static int
negated(const struct reading *r, const struct clause *c, size_t at,
    size_t end)
{
	size_t i, from = at >= c->first + NEGATION_SPAN ? at - NEGATION_SPAN :
	    c->first, to = c->first + c->n;

	for (i = from; i < end; i++)
		if (is_one_of(r->w[i], negations, NELEM(negations)))
			return 1;
	for (i = end; i < to && i < end + NEGATION_SPAN; i++)
		if (is_one_of(r->w[i], negations_after, NELEM(negations_after)))
			return 1;
	return 0;
}

/* Words of the clause that say something (not please, thanks, hi). */
static size_t
content_words(const struct reading *r, const struct clause *c)
{
	size_t i, n = 0;

	for (i = c->first; i < c->first + c->n; i++)
		n += !is_one_of(r->w[i], politeness, NELEM(politeness));
	return n;
}

/* Does the clause match the whole phrase, politeness aside? */
static int
clause_is(const struct reading *r, const struct clause *c,
    const char *const *list, size_t n)
{
	const char *w[WORDS_MAX];
	size_t i, k = 0;

	for (i = c->first; i < c->first + c->n; i++)
		if (!is_one_of(r->w[i], politeness, NELEM(politeness)))
			w[k++] = r->w[i];
	for (i = 0; i < n && k > 0; i++)
		if (match_from(w, k, 0, list[i]) == k)
			return 1;
	return 0;
}

/* A question that asks for something: "could you remove me?" */
static int
is_polite_request(const struct reading *r, const struct clause *c)
{
	size_t i, j;

	for (i = 0; i < NELEM(polite_requests); i++)
		for (j = c->first; j < c->first + c->n && j < c->first + 3; j++)
			if (match_from(r->w, c->first + c->n, j,
			    polite_requests[i]) != NOMATCH)
				return 1;
	return 0;
}

/* Is every word of the clause (politeness aside) one of the list's? */
static int
clause_all(const struct reading *r, const struct clause *c,
    const char *const *list, size_t n)
{
	size_t i, k = 0;

	for (i = c->first; i < c->first + c->n; i++) {
		if (is_one_of(r->w[i], politeness, NELEM(politeness)))
			continue;
		if (!is_one_of(r->w[i], list, n))
			return 0;
		k++;
	}
	return k > 0;
}

/* What one clause says. */
struct said {
	int	removal;
	int	keep;		/* a removal turned around */
	int	sign;
	int	yes;		/* only a yes */
	int	decline;	/* a no, or a sign turned around */
	int	unclear;	/* a removal about the action, not the list */
};

/* A removal word said plainly: alone, about me, or as a wish. */
static int
keyword_counts(const struct reading *r, const struct clause *c, size_t at)
{
	size_t i;

	if (content_words(r, c) <= 2)
		return 1;
	/* "unsubscribe me", "me désabonner", "mich abmelden" */
	if ((at + 1 < c->first + c->n && is_one_of(r->w[at + 1], object_words,
	    NELEM(object_words))) || (at > c->first && is_one_of(r->w[at - 1],
	    object_words, NELEM(object_words))))
		return 1;
	for (i = c->first; i < at; i++)
		if (is_one_of(r->w[i], wish_words, NELEM(wish_words)))
			return 1;
	return 0;
}

/* Tries a table at every word of the clause: 1 said, -1 said and
 * turned around, 0 not said. */
static int
find(const struct reading *r, const struct clause *c,
    const char *const *list, size_t n, int negatable, int keyword)
{
	size_t i, j, end, to = c->first + c->n;
	int found = 0;

	for (j = c->first; j < to; j++)
		for (i = 0; i < n; i++) {
			if (!may_start(list[i], r->w[j]))
				continue;
			end = match_from(r->w, to, j, list[i]);
			if (end == NOMATCH || (keyword && !keyword_counts(r, c,
			    j)))
				continue;
			if (negatable && negated(r, c, j, end))
				found = -1;
			else if (found == 0)
				found = 1;
		}
	return found;
}

static void
read_clause(const struct reading *r, const struct clause *c, struct said *s)
{
	int rm, nm, kw, sg;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (clause_is(r, c, declines, NELEM(declines))) {
		s->decline = 1;
		return;
	}
	rm = find(r, c, removal, NELEM(removal), 1, 0);
	nm = find(r, c, no_more, NELEM(no_more), 0, 0);
	kw = find(r, c, removal_words, NELEM(removal_words), 1, 1);
	sg = find(r, c, sign_phrases, NELEM(sign_phrases), 1, 0);
	if (sg == 0 && clause_is(r, c, sign_alone, NELEM(sign_alone)))
		sg = 1;
	if (find(r, c, refusals, NELEM(refusals), 0, 0) != 0)
		sg = -1;
	if (rm == 0 && clause_is(r, c, removal_alone, NELEM(removal_alone)))
		rm = 1;
	if (c->question && !is_polite_request(r, c)) {
		/* "Why would I unsubscribe?": for a person */
		s->unclear = rm != 0 || nm != 0 || kw != 0 || sg != 0;
		return;
	}
	s->removal = rm == 1 || nm == 1 || kw == 1;
	s->keep = rm == -1 || kw == -1;
	if (s->removal || s->keep)
		for (i = c->first; i < c->first + c->n; i++)
			if (is_one_of(r->w[i], action_words,
			    NELEM(action_words)))
				s->unclear = 1;
	s->sign = sg == 1 && !c->question;
	s->decline = sg == -1;
	s->yes = sg == 0 && clause_all(r, c, yes_words, NELEM(yes_words));
}

/* Sums up the clauses: removal beats yes, anything mixed is for a person. */
static enum intent
decide(const struct reading *r)
{
	struct said s, all;
	size_t i, j, words = 0, other = 0;
	int but = 0, question = 0;

	memset(&all, 0, sizeof(all));
	for (i = 0; i < r->nc; i++) {
		const struct clause *c = &r->c[i];

		read_clause(r, c, &s);
		all.removal |= s.removal;
		all.keep |= s.keep;
		all.sign |= s.sign;
		all.yes |= s.yes;
		all.decline |= s.decline;
		all.unclear |= s.unclear;
		question |= c->question;
		words += content_words(r, c);
		/* a clause of its own, not a yes, a sign or a greeting */
		if (!s.yes && !s.sign && content_words(r, c) > 2)
			other++;
		for (j = c->first; j < c->first + c->n; j++)
			but |= is_one_of(r->w[j], but_words, NELEM(but_words));
	}
	if (all.unclear || (all.removal && all.keep))
		return INTENT_OTHER;
	if (all.removal)
		return INTENT_UNSUBSCRIBE;
	if (all.keep)
		return INTENT_CONTRARY;
	if (all.decline)
		return all.sign || all.yes ? INTENT_OTHER : INTENT_CONTRARY;
	if (question || but || words > LETTER_WORDS)
		return INTENT_OTHER;
	if (all.sign)
		return INTENT_SIGN;
	if (all.yes && words <= SHORT_ANSWER && other == 0)
		return INTENT_SIGN;
	return INTENT_OTHER;
}

/* A subject the writer wrote, not the alert's own ("Re: ..."). */
static int
is_own_subject(const char *s)
{
	static const char *const prefixes[] = { "re:", "aw:", "sv:", "rv:",
	    "antw:", "r:", "fw:", "fwd:", "wg:", "tr:", "enc:" };
	size_t i;

	while (*s == ' ')
		s++;
	for (i = 0; i < NELEM(prefixes); i++)
		if (strncasecmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			return 0;
	return *s != '\0';
}

enum intent
intent_of(const char *text, size_t len, const char *subject)
{
	static __thread struct reading r;
	char own[TEXT_MAX];
	size_t n = own_text(text, len, own, sizeof(own));

	read_clauses(&r, own, n);
	if (r.nw > 0)
		return decide(&r);
	/* An empty body: the subject may be the request ("unsubscribe"),
	 * unless it is the alert's own, which a reply repeats. */
	if (subject == NULL || !is_own_subject(subject))
		return INTENT_OTHER;
	read_clauses(&r, subject, strlen(subject));
	return decide(&r);
}

/* Away notices, as they start. */
static const char *const away_words[] = {
	"out of the office", "out of office", "i am away", "i'm away",
	"i am currently away", "i am on vacation", "i'm on vacation",
	"i am on leave", "i will be out", "i am out", "i'm out",
	"currently out", "on annual leave", "away from my desk",
	"je suis absent", "je serai absent", "ich bin abwesend",
	"ich bin nicht im buro", "abwesenheit", "estoy fuera",
	"estare fuera", "sono assente", "fuori ufficio", "ik ben afwezig",
	"automatic reply", "auto reply", "autoreply", "this is an automated",
	"this is an automatic",
};

int
intent_is_away_notice(const char *text, size_t len)
{
	static __thread struct reading r;
	char own[TEXT_MAX];
	size_t i, j, n = own_text(text, len < 512 ? len : 512, own,
	    sizeof(own));

	read_clauses(&r, own, n);
	for (i = 0; i < NELEM(away_words); i++)
		for (j = 0; j < r.nw; j++)
			if (match_from(r.w, r.nw, j, away_words[i]) != NOMATCH)
				return 1;
	return 0;
}
