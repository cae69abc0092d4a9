/* intent: what a reply asks for (see intent.h). */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "intent.h"
#include "reason.h"

#define FIRST_WORDS_MAX	512	/* bytes of unquoted text looked at */
#define SHORT_ANSWER_WORDS 12

/* Said first, alone or nearly: the reply asks to be taken off. */
static const char *unsubscribe_words[] = {
	"unsubscribe", "remove me", "take me off", "opt out", "optout",
	"opt-out", "stop", "remove", "cancel", "please remove",
	"please unsubscribe", "désabonner", "desabonner", "désinscrire",
	"desinscrire", "me désabonner", "désabonnement", "abmelden",
	"abbestellen", "austragen", "baja", "darme de baja", "dar de baja",
	"cancelar", "cancelar suscripción", "disiscrivi", "cancellami",
	"uitschrijven", "afmelden", "descadastrar", "no more",
	"stop sending",
};

/* Said first, in a short answer: the reply signs. */
static const char *sign_words[] = {
	"sign", "i sign", "sign me up", "i'll sign", "i will sign",
	"yes", "yes add my name", "add my name", "count me in", "signed",
	"i'm in", "je signe", "oui", "ich unterschreibe", "ja", "firmo",
	"yo firmo", "sí", "si", "ik teken", "teken", "assino", "sim",
	"firmato", "firmo anch'io",
};

/* Away notices, as they start. */
static const char *away_words[] = {
	"out of the office", "out of office", "i am away", "i'm away",
	"i am currently away", "i am on vacation", "i'm on vacation",
	"i am on leave", "i will be out", "i am out", "i'm out",
	"currently out", "on annual leave", "away from my desk",
	"je suis absent", "je serai absent", "ich bin abwesend",
	"ich bin nicht im büro", "abwesenheit", "estoy fuera",
	"estaré fuera", "sono assente", "fuori ufficio", "ik ben afwezig",
	"automatic reply", "auto-reply", "autoreply", "this is an automated",
	"this is an automatic",
};

/*
 * Copies the first unquoted lines of text into out, folded, up to the
 * first quote, attribution ("On ... wrote:") or signature separator.
 */
static void
first_words(const char *text, size_t len, char *out, size_t outsize)
{
	const char *p = text, *end = text + len;
	size_t o = 0;

	out[0] = '\0';
	while (p < end && o + 2 < outsize) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		char line[256];
		size_t n;

		if (nl == NULL)
			nl = end;
		reason_fold(p, (size_t)(nl - p), line, sizeof(line));
		p = nl + 1;
		if (line[0] == '\0') {
			if (o > 0)
				break;	/* the first paragraph only */
			continue;
		}
		n = strlen(line);
		if (line[0] == '>' || strcmp(line, "--") == 0 ||
		    strncmp(line, "-----", 5) == 0 ||
		    strncmp(line, "____", 4) == 0 ||
		    strncmp(line, "from:", 5) == 0 ||
		    (n > 6 && strcmp(line + n - 6, "wrote:") == 0) ||
		    (n > 8 && strcmp(line + n - 8, "écrit :") == 0))
			break;
		if (o > 0)
			out[o++] = ' ';
		if (n > outsize - o - 1)
			n = outsize - o - 1;
		memcpy(out + o, line, n);
		o += n;
		out[o] = '\0';
	}
}

/* Punctuation becomes space, so "Yes, add my name!" reads as words. */
static void
plain_words(char *s)
{
	char *w = s, *r;
	int space = 0;

	for (r = s; *r != '\0'; r++) {
		unsigned char c = (unsigned char)*r;

		if (c < 0x80 && !isalnum(c) && c != '\'' && c != '-') {
			space = w > s;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = 0;
		*w++ = *r;
	}
	*w = '\0';
}

static size_t
count_words(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (*s != ' ' && (s[1] == ' ' || s[1] == '\0'))
			n++;
	return n;
}

/* Does s start with the phrase w, as whole words? */
static int
starts_with_words(const char *s, const char *w)
{
	size_t n = strlen(w);

	return strncmp(s, w, n) == 0 && (s[n] == '\0' || s[n] == ' ');
}

static int
said_first(const char *s, const char **words, size_t nwords)
{
	size_t i;

	for (i = 0; i < nwords; i++)
		if (starts_with_words(s, words[i]))
			return 1;
	return 0;
}

static enum intent
intent_of_words(char *words)
{
	size_t n;

	plain_words(words);
	n = count_words(words);
	if (n == 0)
		return INTENT_OTHER;
	if (strstr(words, "unsubscribe") != NULL ||
	    strstr(words, "remove me") != NULL ||
	    strstr(words, "take me off") != NULL)
		return INTENT_UNSUBSCRIBE;
	if (n <= SHORT_ANSWER_WORDS && said_first(words, unsubscribe_words,
	    sizeof(unsubscribe_words) / sizeof(unsubscribe_words[0])))
		return INTENT_UNSUBSCRIBE;
	if (n <= SHORT_ANSWER_WORDS && strstr(words, "not ") == NULL &&
	    strstr(words, "n't") == NULL && said_first(words, sign_words,
	    sizeof(sign_words) / sizeof(sign_words[0])))
		return INTENT_SIGN;
	return INTENT_OTHER;
}

enum intent
intent_of(const char *text, size_t len, const char *subject)
{
	char words[FIRST_WORDS_MAX];
	enum intent i;

	first_words(text, len, words, sizeof(words));
	i = intent_of_words(words);
	if (i != INTENT_OTHER || subject == NULL)
		return i;
	/* An empty body: the subject is the answer ("unsubscribe"). */
	if (words[0] == '\0') {
		const char *s = subject;

		while (strncasecmp(s, "re:", 3) == 0 || *s == ' ')
			s += *s == ' ' ? 1 : 3;
		reason_fold(s, strlen(s), words, sizeof(words));
		return intent_of_words(words);
	}
	return INTENT_OTHER;
}

int
intent_is_away_notice(const char *text, size_t len)
{
	char words[FIRST_WORDS_MAX];
	size_t i;

	first_words(text, len, words, sizeof(words));
	for (i = 0; i < sizeof(away_words) / sizeof(away_words[0]); i++)
		if (strstr(words, away_words[i]) != NULL)
			return 1;
	return 0;
}
