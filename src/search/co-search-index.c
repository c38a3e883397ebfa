/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * How a query stays fast with 100,000 students:
 *
 * - IDs: every education ID, 一卡通号 and 北京通号 sits in one array sorted by
 *   an MSD radix sort at build time; a prefix is a binary search and a run.
 * - Names (汉字 queries): a posting list per character (code point modulo
 *   2^16); the query's rarest character picks the candidates, strstr() checks.
 * - Pinyin: each name is its characters' reading classes (a few bytes), plus
 *   two 64-bit filter words: the letters its readings use with their first
 *   letters, and a Bloom set of the letter pairs a typed pinyin of it can
 *   contain. A scan of the filter words rejects most entries with two ANDs;
 *   the survivors run a bit-parallel match: bit p of a mask says "the first
 *   p letters of the query are consumed", and each syllable moves the masks
 *   by its length (typed in full), 1 (initial) or 2 (zh/ch/sh), with the
 *   per-syllable position masks computed once per query. No allocation per
 *   query: the ranks and a bitmap of the matched entries are scratch arrays
 *   of the index, and the bitmap gives the entry order for free.
 */
#define G_LOG_DOMAIN "co-search"

#include "config.h"

#include <string.h>

#include "co-search-index.h"
#include "co-search-pinyin-private.h"

/* Rank of a match, best first. */
typedef enum
{
  TIER_ID_EXACT,
  TIER_ID_PREFIX,
  TIER_NAME_EXACT,
  TIER_NAME_PREFIX,
  TIER_NAME_INNER,
  TIER_PINYIN_FIRST,
  TIER_PINYIN_LATER,
  TIER_INITIALS_FIRST,
  TIER_INITIALS_LATER,
  N_TIERS,
  TIER_NONE = 0xFF,
} Tier;

enum
{
  FIELD_NAME,
  FIELD_EDU_ID,
  FIELD_CARD_NO,
  FIELD_BJT_NO,
  N_FIELDS
};

/* Bit p: the query from position p on, against one syllable. */
typedef struct
{
  guint64 full;  /* the whole syllable is typed there, and more follows */
  guint64 ab1;   /* its first letter is typed there, and more follows */
  guint64 ab2;   /* its zh/ch/sh is typed there, and more follows */
  guint64 tail;  /* the rest of the query begins the syllable */
} SyllableMasks;

#define MAX_PINYIN_QUERY 63
#define N_CHAR_BUCKETS   65536
#define NO_CLASS_FILTER  G_MAXUINT

struct _CoSearchIndex
{
  gatomicrefcount        ref_count;
  guint                  n;

  const CoPinyinTables  *tables;

  guint                 *ids;
  guint16               *class_of;       /* interned class name, 0 for none */
  GHashTable            *class_ids;      /* name -> GUINT_TO_POINTER (id) */

  char                  *pool;           /* ASCII-lowercased strings; offset 0 is "" */
  guint32               *offsets;        /* n * N_FIELDS, into pool */

  /* Pinyin */
  guint64               *filter;         /* letters | first letters << 32 */
  guint64               *pairs;          /* Bloom set of letter pairs */
  guint32               *first_heads;    /* first letters of the first character */
  guint32               *slot_first;     /* n + 1, into slots */
  guint16               *slots;          /* reading class per character */
  guint8                *syllable_len;
  guint16                letter_first[27]; /* syllables by first letter */

  /* IDs: entry * N_FIELDS + field, sorted by the string */
  guint32               *id_refs;
  guint                  n_id_refs;

  /* Name substrings */
  guint32               *char_first;     /* N_CHAR_BUCKETS + 1, into char_entries */
  guint32               *char_entries;
  guint32               *latin_entries;  /* names with Latin letters */
  guint                  n_latin;

  /* Query scratch */
  guint8                *tier;           /* n, TIER_NONE when not matched */
  guint64               *matched;        /* bitmap of entries with a tier */
  guint32                tier_count[N_TIERS];
  guint                  class_filter;
  SyllableMasks         *masks;
};

G_DEFINE_BOXED_TYPE (CoSearchIndex, co_search_index, co_search_index_ref, co_search_index_unref)

/* Helpers */

static inline guint
ctz64 (guint64 x)
{
  return __builtin_ctzll (x);
}

static inline guint
pair_bit (guint a,
          guint b)
{
  return ((a * 26 + b + 1) * 2654435761u) >> 26;
}

static inline guint64
pair_mask (guint a,
           guint b)
{
  return G_GUINT64_CONSTANT (1) << pair_bit (a, b);
}

static inline const char *
entry_string (CoSearchIndex *self,
              guint          entry,
              guint          field)
{
  return self->pool + self->offsets[entry * N_FIELDS + field];
}

static inline const char *
ref_string (CoSearchIndex *self,
            guint32        ref)
{
  return self->pool + self->offsets[ref];
}

/* Copies @str, ASCII-lowercased, to the pool at *@used. */
static guint32
pool_add (char       *pool,
          gsize      *used,
          const char *str)
{
  guint32 offset = *used;
  char *out = pool + offset;

  if (str == NULL || *str == '\0')
    return 0;

  for (const char *p = str; *p; p++)
    *out++ = *p >= 'A' && *p <= 'Z' ? *p + ('a' - 'A') : *p;
  *out++ = '\0';
  *used = out - pool;

  return offset;
}

/* Per reading class: which letters its readings use, start with and can
 * end a typed syllable with, and the letter pairs inside them. */
typedef struct
{
  guint32 letters;
  guint32 heads;
  guint32 lasts;
  guint64 pairs;
} ClassLetters;

static ClassLetters *
compute_class_letters (const CoPinyinTables *t)
{
  ClassLetters *cl = g_new0 (ClassLetters, t->n_classes);

  for (guint c = 1; c < t->n_classes; c++)
    {
      const guint16 *syl = t->class_syllables + t->class_first[c];

      for (guint k = 0; k < t->class_count[c]; k++)
        {
          const char *s = t->syllables[syl[k]];
          gsize len = strlen (s);

          cl[c].heads |= 1u << (s[0] - 'a');
          cl[c].lasts |= 1u << (s[0] - 'a');
          cl[c].lasts |= 1u << (s[len - 1] - 'a');
          if (len >= 3 && s[1] == 'h' && strchr ("zcs", s[0]))
            cl[c].lasts |= 1u << ('h' - 'a');
          for (gsize i = 0; i < len; i++)
            {
              cl[c].letters |= 1u << (s[i] - 'a');
              if (i + 1 < len)
                cl[c].pairs |= pair_mask (s[i] - 'a', s[i + 1] - 'a');
            }
        }
    }

  return cl;
}

static int
compare_ref_strings (CoSearchIndex *self,
                     guint32        a,
                     guint32        b,
                     gsize          depth)
{
  return strcmp (ref_string (self, a) + depth, ref_string (self, b) + depth);
}

/* MSD radix sort of ID references by their strings, all of which share
 * their first @depth bytes. */
static void
sort_id_refs (CoSearchIndex *self,
              guint32       *refs,
              guint32       *tmp,
              gsize          n,
              gsize          depth)
{
  guint32 count[256] = { 0 };
  guint32 start[256];
  guint32 pos = 0;

  if (n < 24)
    {
      for (gsize i = 1; i < n; i++)
        {
          guint32 r = refs[i];
          gsize j = i;

          for (; j > 0 && compare_ref_strings (self, refs[j - 1], r, depth) > 0; j--)
            refs[j] = refs[j - 1];
          refs[j] = r;
        }
      return;
    }

  for (gsize i = 0; i < n; i++)
    count[(guchar) ref_string (self, refs[i])[depth]]++;

  for (guint c = 0; c < 256; c++)
    {
      start[c] = pos;
      pos += count[c];
    }

  for (gsize i = 0; i < n; i++)
    tmp[start[(guchar) ref_string (self, refs[i])[depth]]++] = refs[i];
  memcpy (refs, tmp, n * sizeof *refs);

  /* Bucket 0 holds equal strings that ended here. */
  pos = count[0];
  for (guint c = 1; c < 256; c++)
    {
      if (count[c] > 1)
        sort_id_refs (self, refs + pos, tmp, count[c], depth + 1);
      pos += count[c];
    }
}

static void
build_id_index (CoSearchIndex *self)
{
  g_autofree guint32 *tmp = NULL;
  guint n = 0;

  self->id_refs = g_new (guint32, (gsize) self->n * (N_FIELDS - 1));
  for (guint e = 0; e < self->n; e++)
    for (guint f = FIELD_EDU_ID; f < N_FIELDS; f++)
      if (self->offsets[e * N_FIELDS + f] != 0)
        self->id_refs[n++] = e * N_FIELDS + f;
  self->n_id_refs = n;

  tmp = g_new (guint32, MAX (n, 1));
  sort_id_refs (self, self->id_refs, tmp, n, 0);
}

static inline guint
char_bucket (gunichar ch)
{
  return ch & (N_CHAR_BUCKETS - 1);
}

/* The distinct buckets of the non-ASCII characters of @name. */
static guint
name_buckets (const char *name,
              guint      *buckets,
              guint       max_buckets)
{
  guint n = 0;

  for (const char *p = name; *p && n < max_buckets; )
    {
      gunichar ch;
      guint b;
      gboolean seen = FALSE;

      if ((guchar) *p < 0x80)
        {
          p++;
          continue;
        }

      ch = g_utf8_get_char_validated (p, -1);
      if (ch == (gunichar) -1 || ch == (gunichar) -2)
        break;
      p = g_utf8_next_char (p);

      b = char_bucket (ch);
      for (guint i = 0; i < n && !seen; i++)
        seen = buckets[i] == b;
      if (!seen)
        buckets[n++] = b;
    }

  return n;
}

static void
build_char_index (CoSearchIndex *self)
{
  guint buckets[64];
  guint32 total = 0;

  self->char_first = g_new0 (guint32, N_CHAR_BUCKETS + 1);

  for (guint e = 0; e < self->n; e++)
    {
      guint nb = name_buckets (entry_string (self, e, FIELD_NAME), buckets, G_N_ELEMENTS (buckets));

      for (guint i = 0; i < nb; i++)
        self->char_first[buckets[i] + 1]++;
    }

  for (guint b = 1; b <= N_CHAR_BUCKETS; b++)
    {
      total += self->char_first[b];
      self->char_first[b] = total - self->char_first[b];
    }
  /* char_first[b + 1] is now the start of bucket b: fill, advancing it. */
  self->char_entries = g_new (guint32, MAX (total, 1));
  for (guint e = 0; e < self->n; e++)
    {
      guint nb = name_buckets (entry_string (self, e, FIELD_NAME), buckets, G_N_ELEMENTS (buckets));

      for (guint i = 0; i < nb; i++)
        self->char_entries[self->char_first[buckets[i] + 1]++] = e;
    }
  self->char_first[0] = 0;
}

static void
build_pinyin (CoSearchIndex       *self,
              const CoSearchEntry *entries)
{
  const CoPinyinTables *t = self->tables;
  g_autofree ClassLetters *cl = compute_class_letters (t);
  CoPinyinSlot name_slots[CO_PINYIN_MAX_SLOTS];
  gsize cap = (gsize) self->n * 3 + 16;
  guint32 n_slots_total = 0;

  self->filter = g_new (guint64, self->n);
  self->pairs = g_new (guint64, self->n);
  self->first_heads = g_new0 (guint32, MAX (self->n, 1));
  self->slot_first = g_new (guint32, self->n + 1);
  self->slots = g_new (guint16, cap);
  self->latin_entries = g_new (guint32, MAX (self->n, 1));

  for (guint e = 0; e < self->n; e++)
    {
      const char *name = entries[e].name ? entries[e].name : "";
      guint n_slots = _co_pinyin_name_slots (name, name_slots, G_N_ELEMENTS (name_slots));
      guint32 letters = 0, heads = 0;
      guint64 pairs = 0;
      gboolean latin = FALSE;

      if (n_slots_total + n_slots > cap)
        {
          cap = MAX (cap * 2, n_slots_total + n_slots);
          self->slots = g_renew (guint16, self->slots, cap);
        }

      self->slot_first[e] = n_slots_total;
      for (guint i = 0; i < n_slots; i++)
        {
          const ClassLetters *c = &cl[name_slots[i].cls];

          self->slots[n_slots_total++] = name_slots[i].cls;
          letters |= c->letters;
          heads |= c->heads;
          pairs |= c->pairs;
          latin |= name_slots[i].ch < 0x80 && g_ascii_isalpha (name_slots[i].ch);

          if (i + 1 < n_slots)
            {
              guint32 next = cl[name_slots[i + 1].cls].heads;

              for (guint32 l = c->lasts; l != 0; l &= l - 1)
                for (guint32 h = next; h != 0; h &= h - 1)
                  pairs |= pair_mask (g_bit_nth_lsf (l, -1), g_bit_nth_lsf (h, -1));
            }
        }

      if (n_slots > 0)
        self->first_heads[e] = cl[name_slots[0].cls].heads;
      self->filter[e] = letters | ((guint64) heads << 32);
      self->pairs[e] = pairs;
      if (latin)
        self->latin_entries[self->n_latin++] = e;
    }
  self->slot_first[self->n] = n_slots_total;

  self->syllable_len = g_new (guint8, t->n_syllables);
  for (guint s = 0; s < t->n_syllables; s++)
    self->syllable_len[s] = strlen (t->syllables[s]);

  /* Syllables are sorted, so each first letter is a range. */
  for (guint c = 0, s = 0; c <= 26; c++)
    {
      while (s < t->n_syllables && t->syllables[s][0] < (char) ('a' + c))
        s++;
      self->letter_first[c] = s;
    }
}

/* Matching */

static inline void
add_match (CoSearchIndex *self,
           guint32        entry,
           Tier           tier)
{
  guint8 *t = &self->tier[entry];

  if (self->class_filter != NO_CLASS_FILTER && self->class_of[entry] != self->class_filter)
    return;

  if (*t == TIER_NONE)
    {
      self->matched[entry / 64] |= G_GUINT64_CONSTANT (1) << (entry % 64);
      self->tier_count[tier]++;
      *t = tier;
    }
  else if (tier < *t)
    {
      self->tier_count[*t]--;
      self->tier_count[tier]++;
      *t = tier;
    }
}

/* The first ID reference whose string's first @len bytes compare to
 * @query as >= 0 (@upper FALSE) or > 0 (@upper TRUE). */
static guint
bound_ids (CoSearchIndex *self,
           const char    *query,
           gsize          len,
           gboolean       upper)
{
  guint lo = 0, hi = self->n_id_refs;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int cmp = strncmp (ref_string (self, self->id_refs[mid]), query, len);

      if (cmp < 0 || (upper && cmp == 0))
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static void
search_ids (CoSearchIndex *self,
            const char    *query,
            gsize          len)
{
  guint first = bound_ids (self, query, len, FALSE);
  guint end = bound_ids (self, query, len, TRUE);
  guint i = first;

  /* IDs equal to the query sort first in the range. */
  for (; i < end && ref_string (self, self->id_refs[i])[len] == '\0'; i++)
    add_match (self, self->id_refs[i] / N_FIELDS, TIER_ID_EXACT);

  for (; i < end; i++)
    add_match (self, self->id_refs[i] / N_FIELDS, TIER_ID_PREFIX);
}

static void
match_name (CoSearchIndex *self,
            guint32        entry,
            const char    *needle,
            gsize          len)
{
  const char *name = entry_string (self, entry, FIELD_NAME);
  const char *at = strstr (name, needle);

  if (at == NULL)
    return;

  if (at != name)
    add_match (self, entry, TIER_NAME_INNER);
  else
    add_match (self, entry, name[len] == '\0' ? TIER_NAME_EXACT : TIER_NAME_PREFIX);
}

static void
search_names (CoSearchIndex *self,
              const char    *needle,
              gsize          len)
{
  guint buckets[64];
  guint nb = name_buckets (needle, buckets, G_N_ELEMENTS (buckets));
  guint best = 0;
  guint32 best_size = G_MAXUINT32;

  for (guint i = 0; i < nb; i++)
    {
      guint32 size = self->char_first[buckets[i] + 1] - self->char_first[buckets[i]];

      if (size < best_size)
        {
          best = buckets[i];
          best_size = size;
        }
    }

  if (nb == 0)
    return;

  for (guint32 i = self->char_first[best]; i < self->char_first[best + 1]; i++)
    match_name (self, self->char_entries[i], needle, len);
}

static void
prepare_syllable_masks (CoSearchIndex *self,
                        const char    *q,
                        guint          m)
{
  const CoPinyinTables *t = self->tables;
  guint64 at[26] = { 0 };

  memset (self->masks, 0, t->n_syllables * sizeof *self->masks);

  for (guint p = 0; p < m; p++)
    at[q[p] - 'a'] |= G_GUINT64_CONSTANT (1) << p;

  for (guint c = 0; c < 26; c++)
    {
      if (at[c] == 0)
        continue;

      for (guint s = self->letter_first[c]; s < self->letter_first[c + 1]; s++)
        {
          const char *syl = t->syllables[s];
          guint len = self->syllable_len[s];
          SyllableMasks *sm = &self->masks[s];

          for (guint64 pos = at[c]; pos != 0; pos &= pos - 1)
            {
              guint p = ctz64 (pos);
              guint64 bit = G_GUINT64_CONSTANT (1) << p;
              guint k = 1;

              while (k < len && p + k < m && q[p + k] == syl[k])
                k++;

              if (p + k == m)
                sm->tail |= bit;
              else
                {
                  if (k == len)
                    sm->full |= bit;
                  sm->ab1 |= bit;
                  if (k >= 2 && len >= 3 && syl[1] == 'h' && strchr ("zcs", syl[0]))
                    sm->ab2 |= bit;
                }
            }
        }
    }
}

/* The best pinyin rank of one name: f0/a0 hold the query positions reached
 * from its first character, typed in full or with initials; fl/al the same
 * from a later character. */
static Tier
match_pinyin (CoSearchIndex *self,
              guint          entry)
{
  const CoPinyinTables *t = self->tables;
  const guint16 *slots = self->slots + self->slot_first[entry];
  guint n_slots = self->slot_first[entry + 1] - self->slot_first[entry];
  guint64 f0 = 1, a0 = 0, fl = 0, al = 0;
  Tier best = TIER_NONE;

  for (guint i = 0; i < n_slots; i++)
    {
      guint cls = slots[i];
      const guint16 *syl = t->class_syllables + t->class_first[cls];
      guint count = t->class_count[cls];
      guint64 nf0 = 0, na0 = 0, nfl = 0, nal = 0;

      if (i > 0)
        fl |= 1;

      for (guint k = 0; k < count; k++)
        {
          const SyllableMasks *sm = &self->masks[syl[k]];
          guint len = self->syllable_len[syl[k]];
          guint64 first = f0 | a0, later = fl | al;

          if (((first | later) & sm->tail) != 0)
            {
              if (f0 & sm->tail)
                return TIER_PINYIN_FIRST;
              if (a0 & sm->tail)
                best = MIN (best, TIER_INITIALS_FIRST);
              if (fl & sm->tail)
                best = MIN (best, TIER_PINYIN_LATER);
              if (al & sm->tail)
                best = MIN (best, TIER_INITIALS_LATER);
            }

          nf0 |= (f0 & sm->full) << len;
          na0 |= ((a0 & sm->full) << len) | ((first & sm->ab1) << 1) | ((first & sm->ab2) << 2);
          nfl |= (fl & sm->full) << len;
          nal |= ((al & sm->full) << len) | ((later & sm->ab1) << 1) | ((later & sm->ab2) << 2);
        }

      f0 = nf0;
      a0 = na0;
      fl = nfl;
      al = nal;

      /* Only a match from the first character could still do better. */
      if (best <= TIER_PINYIN_LATER && (f0 | a0) == 0)
        break;
    }

  return best;
}

static void
search_pinyin (CoSearchIndex *self,
               const char    *q,
               guint          m)
{
  guint64 need = G_GUINT64_CONSTANT (1) << (32 + q[0] - 'a');
  guint64 need_pairs = 0;

  for (guint p = 0; p < m; p++)
    {
      need |= 1u << (q[p] - 'a');
      if (p + 1 < m)
        need_pairs |= pair_mask (q[p] - 'a', q[p + 1] - 'a');
    }

  if (m == 1)
    {
      /* One letter: some reading starts with it, in the first character
       * or a later one. */
      guint32 head = 1u << (q[0] - 'a');

      for (guint e = 0; e < self->n; e++)
        if ((self->filter[e] & need) == need)
          add_match (self, e, self->first_heads[e] & head ? TIER_PINYIN_FIRST : TIER_PINYIN_LATER);
      return;
    }

  prepare_syllable_masks (self, q, m);

  for (guint e = 0; e < self->n; e++)
    {
      Tier tier;

      if ((self->filter[e] & need) != need || (self->pairs[e] & need_pairs) != need_pairs)
        continue;

      if ((tier = match_pinyin (self, e)) != TIER_NONE)
        add_match (self, e, tier);
    }
}

static void
search_latin_names (CoSearchIndex *self,
                    const char    *needle,
                    gsize          len)
{
  for (guint i = 0; i < self->n_latin; i++)
    match_name (self, self->latin_entries[i], needle, len);
}

/* Writes the matches to @matches by rank, in entry order within a rank,
 * and clears the scratch. */
static guint
collect_matches (CoSearchIndex *self,
                 GArray        *matches)
{
  guint32 start[N_TIERS];
  guint *out;
  guint total = 0;

  for (guint r = 0; r < N_TIERS; r++)
    {
      start[r] = total;
      total += self->tier_count[r];
      self->tier_count[r] = 0;
    }

  g_array_set_size (matches, total);
  out = (guint *) (gpointer) matches->data;

  for (guint w = 0; w <= self->n / 64; w++)
    {
      guint64 bits = self->matched[w];

      if (bits == 0)
        continue;

      for (; bits != 0; bits &= bits - 1)
        {
          guint e = w * 64 + ctz64 (bits);

          out[start[self->tier[e]]++] = self->ids[e];
          self->tier[e] = TIER_NONE;
        }
      self->matched[w] = 0;
    }

  return total;
}

/* The query without spaces and apostrophes, ASCII lowercased, full-width
 * ASCII folded; and its pinyin (ü as v) if it can be one. */
typedef struct
{
  char     plain[256];
  gsize    plain_len;
  char     pinyin[MAX_PINYIN_QUERY + 1];
  guint    pinyin_len;
  gboolean is_pinyin;    /* letters, ü and u: only */
  gboolean has_digit;
  gboolean has_alpha;
  gboolean has_umlaut;   /* ü or u: */
  gboolean has_other;    /* anything else: 汉字, punctuation */
  gboolean too_long;
  gboolean invalid;      /* not UTF-8 */
} Query;

static void
query_put (Query *q,
           char   c)
{
  if (q->plain_len + 1 >= sizeof q->plain)
    {
      q->too_long = TRUE;
      return;
    }
  q->plain[q->plain_len++] = c;
  q->plain[q->plain_len] = '\0';
}

static void
pinyin_put (Query *q,
            char   c)
{
  if (q->pinyin_len >= MAX_PINYIN_QUERY)
    q->is_pinyin = FALSE;
  else
    q->pinyin[q->pinyin_len++] = c;
}

static void
normalize_query (const char *text,
                 Query      *q)
{
  memset (q, 0, sizeof *q);
  q->is_pinyin = TRUE;

  for (const char *p = text; *p; )
    {
      gunichar ch = g_utf8_get_char_validated (p, -1);

      if (ch == (gunichar) -1 || ch == (gunichar) -2)
        {
          q->invalid = TRUE;
          return;
        }
      p = g_utf8_next_char (p);

      if (ch >= 0xFF01 && ch <= 0xFF5E)
        ch -= 0xFF01 - 0x21;    /* full-width ASCII */

      if (ch == ' ' || ch == '\t' || ch == 0x3000 || ch == '\'' || ch == 0x2019 || ch == 0x2018)
        continue;

      if (ch < 0x80 && g_ascii_isalpha (ch))
        {
          char c = g_ascii_tolower ((char) ch);

          query_put (q, c);
          pinyin_put (q, c);
          q->has_alpha = TRUE;
        }
      else if (ch < 0x80 && g_ascii_isdigit (ch))
        {
          query_put (q, (char) ch);
          q->has_digit = TRUE;
          q->is_pinyin = FALSE;
        }
      else if (ch == ':' && q->pinyin_len > 0 && q->pinyin[q->pinyin_len - 1] == 'u')
        {
          q->pinyin[q->pinyin_len - 1] = 'v';
          q->has_umlaut = TRUE;
        }
      else if (ch == 0xFC || ch == 0xDC)   /* ü Ü */
        {
          query_put (q, 'v');
          pinyin_put (q, 'v');
          q->has_umlaut = TRUE;
        }
      else
        {
          char utf8[6];
          int len = g_unichar_to_utf8 (ch, utf8);

          for (int i = 0; i < len; i++)
            query_put (q, utf8[i]);
          q->has_other = TRUE;
          q->is_pinyin = FALSE;
        }
    }

  if (q->pinyin_len == 0 || q->has_digit || q->has_other)
    q->is_pinyin = FALSE;
}

/* Public API */

/**
 * co_search_index_new:
 * @entries: (array length=n_entries): the roster, in display order
 * @n_entries: the number of entries
 *
 * Builds the index; it copies what it needs, @entries can go afterwards.
 *
 * Returns: (transfer full): the index
 */
CoSearchIndex *
co_search_index_new (const CoSearchEntry *entries,
                     guint                n_entries)
{
  CoSearchIndex *self;
  gsize pool_size = 1, pool_used = 1;

  g_return_val_if_fail (entries != NULL || n_entries == 0, NULL);
  g_return_val_if_fail (n_entries < G_MAXUINT32 / N_FIELDS, NULL);

  self = g_new0 (CoSearchIndex, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->n = n_entries;
  self->tables = _co_pinyin_get_tables ();

  self->ids = g_new (guint, MAX (n_entries, 1));
  self->class_of = g_new (guint16, MAX (n_entries, 1));
  self->class_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->offsets = g_new (guint32, (gsize) MAX (n_entries, 1) * N_FIELDS);

  for (guint e = 0; e < n_entries; e++)
    {
      const CoSearchEntry *entry = &entries[e];

      pool_size += (entry->name ? strlen (entry->name) + 1 : 0)
                   + (entry->edu_id ? strlen (entry->edu_id) + 1 : 0)
                   + (entry->card_no ? strlen (entry->card_no) + 1 : 0)
                   + (entry->bjt_no ? strlen (entry->bjt_no) + 1 : 0);
    }
  if (pool_size >= G_MAXUINT32)
    g_error ("Roster too large for the search index");

  self->pool = g_malloc (pool_size);
  self->pool[0] = '\0';

  for (guint e = 0; e < n_entries; e++)
    {
      const CoSearchEntry *entry = &entries[e];
      guint32 *off = &self->offsets[e * N_FIELDS];
      guint class_id = 0;

      self->ids[e] = entry->id;
      off[FIELD_NAME] = pool_add (self->pool, &pool_used, entry->name);
      off[FIELD_EDU_ID] = pool_add (self->pool, &pool_used, entry->edu_id);
      off[FIELD_CARD_NO] = pool_add (self->pool, &pool_used, entry->card_no);
      off[FIELD_BJT_NO] = pool_add (self->pool, &pool_used, entry->bjt_no);

      if (entry->class_name != NULL && entry->class_name[0] != '\0')
        {
          gpointer value;

          if (g_hash_table_lookup_extended (self->class_ids, entry->class_name, NULL, &value))
            class_id = GPOINTER_TO_UINT (value);
          else
            {
              class_id = g_hash_table_size (self->class_ids) + 1;
              if (class_id > G_MAXUINT16)
                g_error ("Too many classes for the search index");
              g_hash_table_insert (self->class_ids, g_strdup (entry->class_name),
                                   GUINT_TO_POINTER (class_id));
            }
        }
      self->class_of[e] = class_id;
    }
  g_assert (pool_used <= pool_size);

  build_pinyin (self, entries);
  build_id_index (self);
  build_char_index (self);

  self->tier = g_malloc (MAX (n_entries, 1));
  memset (self->tier, TIER_NONE, MAX (n_entries, 1));
  self->matched = g_new0 (guint64, n_entries / 64 + 1);
  self->masks = g_new0 (SyllableMasks, self->tables->n_syllables);

  return self;
}

/**
 * co_search_index_ref:
 * @self: an index
 *
 * Returns: (transfer full): @self
 */
CoSearchIndex *
co_search_index_ref (CoSearchIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

/**
 * co_search_index_unref:
 * @self: (transfer full): an index
 */
void
co_search_index_unref (CoSearchIndex *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->ids);
  g_free (self->class_of);
  g_hash_table_unref (self->class_ids);
  g_free (self->pool);
  g_free (self->offsets);
  g_free (self->filter);
  g_free (self->pairs);
  g_free (self->first_heads);
  g_free (self->slot_first);
  g_free (self->slots);
  g_free (self->syllable_len);
  g_free (self->id_refs);
  g_free (self->char_first);
  g_free (self->char_entries);
  g_free (self->latin_entries);
  g_free (self->tier);
  g_free (self->matched);
  g_free (self->masks);
  g_free (self);
}

guint
co_search_index_get_n_entries (CoSearchIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n;
}

/**
 * co_search_index_query:
 * @self: an index
 * @text: what the user typed, UTF-8
 * @class_name: (nullable): only entries of this class, or %NULL for all
 * @matches: (element-type guint): receives the ids of the matching entries,
 *   best first (its previous contents are replaced)
 *
 * Searches the roster; see the rules at the top of co-search-index.h. Does
 * not allocate once @matches has grown to the largest answer.
 *
 * Returns: the number of matches
 */
guint
co_search_index_query (CoSearchIndex *self,
                       const char    *text,
                       const char    *class_name,
                       GArray        *matches)
{
  Query q;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (text != NULL, 0);
  g_return_val_if_fail (matches != NULL, 0);
  g_return_val_if_fail (g_array_get_element_size (matches) == sizeof (guint), 0);

  g_array_set_size (matches, 0);

  self->class_filter = NO_CLASS_FILTER;
  if (class_name != NULL)
    {
      gpointer value;

      if (!g_hash_table_lookup_extended (self->class_ids, class_name, NULL, &value))
        return 0;
      self->class_filter = GPOINTER_TO_UINT (value);
    }

  normalize_query (text, &q);
  if (q.too_long || q.invalid)
    return 0;

  if (q.plain_len == 0)
    {
      for (guint e = 0; e < self->n; e++)
        add_match (self, e, TIER_NAME_INNER);
      return collect_matches (self, matches);
    }

  if (q.has_other)
    search_names (self, q.plain, q.plain_len);
  else if (!q.has_umlaut)
    search_ids (self, q.plain, q.plain_len);

  if (q.is_pinyin)
    search_pinyin (self, q.pinyin, q.pinyin_len);

  if (q.has_alpha && !q.has_digit && !q.has_other && !q.has_umlaut)
    search_latin_names (self, q.plain, q.plain_len);

  return collect_matches (self, matches);
}
