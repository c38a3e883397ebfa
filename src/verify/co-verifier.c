/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-verifier"

#include "config.h"

#include <string.h>

#include "co-verifier.h"

struct _CoVerifier
{
  GObject   parent_instance;

  CoStore  *store;
  CoEvent  *event;
  gboolean  has_today;
  GDate     today;
};

G_DEFINE_FINAL_TYPE (CoVerifier, co_verifier, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (CoVerdict, co_verdict, co_verdict_copy, co_verdict_free)

/* CoVerdict */

CoVerdict *
co_verdict_copy (const CoVerdict *verdict)
{
  CoVerdict *copy;

  g_return_val_if_fail (verdict != NULL, NULL);

  copy = g_new0 (CoVerdict, 1);
  copy->kind = verdict->kind;
  copy->input = verdict->input;
  copy->student = verdict->student ? g_object_ref (verdict->student) : NULL;
  copy->card = verdict->card ? g_object_ref (verdict->card) : NULL;
  copy->valid_until = g_strdup (verdict->valid_until);
  copy->checked_in_at = verdict->checked_in_at ? g_date_time_ref (verdict->checked_in_at) : NULL;

  return copy;
}

void
co_verdict_free (CoVerdict *verdict)
{
  if (verdict == NULL)
    return;

  g_clear_object (&verdict->student);
  g_clear_object (&verdict->card);
  g_clear_pointer (&verdict->valid_until, g_free);
  g_clear_pointer (&verdict->checked_in_at, g_date_time_unref);
  g_free (verdict);
}

const char *
co_verdict_kind_to_string (CoVerdictKind kind)
{
  static const char * const words[] = {
    [CO_VERDICT_VALID] = "valid",
    [CO_VERDICT_LOST] = "lost",
    [CO_VERDICT_REPLACED] = "replaced",
    [CO_VERDICT_CANCELLED] = "cancelled",
    [CO_VERDICT_EXPIRED] = "expired",
    [CO_VERDICT_UNKNOWN] = "unknown",
    [CO_VERDICT_NOT_ON_LIST] = "not_on_list",
    [CO_VERDICT_ALREADY_CHECKED_IN] = "already_checked_in",
    [CO_VERDICT_BAD_INPUT] = "bad_input",
  };

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (words), NULL);

  return words[kind];
}

static CoVerdict *
verdict_new (CoVerdictKind  kind,
             CoVerifyInput  input)
{
  CoVerdict *verdict = g_new0 (CoVerdict, 1);

  verdict->kind = kind;
  verdict->input = input;

  return verdict;
}

/* Helpers */

static gboolean
all_digits (const char *s,
            gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return len > 0;
}

/* Upper-case hex of a UID: 4, 7 or 10 bytes, separators ':', '-' and
 * spaces allowed. NULL when @text is not one. */
static char *
normalize_uid (const char *text)
{
  GString *hex = g_string_sized_new (24);

  for (const char *p = text; *p; p++)
    {
      if (*p == ':' || *p == '-' || *p == ' ')
        continue;
      if (!g_ascii_isxdigit (*p) || hex->len >= 20)
        {
          g_string_free (hex, TRUE);
          return NULL;
        }
      g_string_append_c (hex, g_ascii_toupper (*p));
    }

  if (hex->len != 8 && hex->len != 14 && hex->len != 20)
    {
      g_string_free (hex, TRUE);
      return NULL;
    }

  return g_string_free (hex, FALSE);
}

static void
get_today (CoVerifier *self,
           char        out[11])
{
  GDate today;

  if (self->has_today)
    today = self->today;
  else
    {
      g_date_clear (&today, 1);
      g_date_set_time_t (&today, time (NULL));
    }

  g_snprintf (out, 11, "%04u-%02u-%02u", g_date_get_year (&today),
              (guint) g_date_get_month (&today), g_date_get_day (&today));
}

/* The checks once a card (maybe) and its student are known. */
static CoVerdict *
judge (CoVerifier    *self,
       CoVerifyInput  input,
       CoStudent     *student,
       CoCard        *card)
{
  CoVerdict *verdict;
  const char *valid_until;
  const char *current_no;

  if (student == NULL)
    {
      verdict = verdict_new (CO_VERDICT_UNKNOWN, input);
      verdict->card = card ? g_object_ref (card) : NULL;
      return verdict;
    }

  verdict = verdict_new (CO_VERDICT_VALID, input);
  verdict->student = g_object_ref (student);
  verdict->card = card ? g_object_ref (card) : NULL;

  current_no = co_student_get_card_no (student);
  valid_until = co_student_get_valid_until (student);
  verdict->valid_until = g_strdup (valid_until);

  if (card != NULL)
    {
      gboolean current = g_strcmp0 (co_card_get_card_no (card), current_no) == 0;

      /* An old card: the student has a newer one (or none any more). */
      if (!current && current_no != NULL)
        {
          verdict->kind = CO_VERDICT_REPLACED;
          return verdict;
        }

      switch (co_card_get_status (card))
        {
        case CO_CARD_STATUS_REPORTED_LOST:
          verdict->kind = CO_VERDICT_LOST;
          return verdict;
        case CO_CARD_STATUS_CANCELLED:
          verdict->kind = CO_VERDICT_CANCELLED;
          return verdict;
        case CO_CARD_STATUS_NOT_ISSUED:
        case CO_CARD_STATUS_ACTIVE:
        default:
          break;
        }
    }

  if (valid_until != NULL && *valid_until != '\0')
    {
      char today[11];

      get_today (self, today);
      if (strcmp (valid_until, today) < 0)
        {
          verdict->kind = CO_VERDICT_EXPIRED;
          return verdict;
        }
    }

  if (self->event != NULL)
    {
      GDateTime *at;

      if (!co_event_allows (self->event, student))
        {
          verdict->kind = CO_VERDICT_NOT_ON_LIST;
          return verdict;
        }

      if ((at = co_event_get_check_in (self->event, co_student_get_edu_id (student))))
        {
          verdict->kind = CO_VERDICT_ALREADY_CHECKED_IN;
          verdict->checked_in_at = g_date_time_ref (at);
          return verdict;
        }
    }

  return verdict;
}

static CoVerdict *
verify_card (CoVerifier    *self,
             CoVerifyInput  input,
             CoCard        *card,
             CoStudent     *student)
{
  if (card == NULL)
    return verdict_new (CO_VERDICT_UNKNOWN, input);

  return judge (self, input, student, card);
}

static CoVerdict *
verify_edu_id (CoVerifier *self,
               const char *edu_id)
{
  g_autoptr(CoStudent) student = co_store_lookup_student (self->store, edu_id);
  g_autoptr(CoCard) card = NULL;

  if (student == NULL)
    return NULL;

  /* The student's current card (none: not issued yet). */
  card = co_store_lookup_card (self->store, edu_id);

  return judge (self, CO_VERIFY_INPUT_EDU_ID, student, card);
}

/* GObject */

static void
co_verifier_dispose (GObject *object)
{
  CoVerifier *self = (CoVerifier *)object;

  g_clear_object (&self->event);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (co_verifier_parent_class)->dispose (object);
}

static void
co_verifier_class_init (CoVerifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = co_verifier_dispose;
}

static void
co_verifier_init (CoVerifier *self)
{
}

/* Public API */

CoVerifier *
co_verifier_new (CoStore *store)
{
  CoVerifier *self;

  g_return_val_if_fail (CO_IS_STORE (store), NULL);

  self = g_object_new (CO_TYPE_VERIFIER, NULL);
  self->store = g_object_ref (store);

  return self;
}

CoStore *
co_verifier_get_store (CoVerifier *self)
{
  g_return_val_if_fail (CO_IS_VERIFIER (self), NULL);

  return self->store;
}

void
co_verifier_set_event (CoVerifier *self,
                       CoEvent    *event)
{
  g_return_if_fail (CO_IS_VERIFIER (self));
  g_return_if_fail (event == NULL || CO_IS_EVENT (event));

  g_set_object (&self->event, event);
}

CoEvent *
co_verifier_get_event (CoVerifier *self)
{
  g_return_val_if_fail (CO_IS_VERIFIER (self), NULL);

  return self->event;
}

void
co_verifier_set_today (CoVerifier  *self,
                       const GDate *today)
{
  g_return_if_fail (CO_IS_VERIFIER (self));
  g_return_if_fail (today == NULL || g_date_valid (today));

  self->has_today = today != NULL;
  if (today != NULL)
    self->today = *today;
}

CoVerdict *
co_verifier_verify_uid (CoVerifier *self,
                        const char *uid)
{
  g_autofree char *hex = NULL;
  g_autoptr(CoCard) card = NULL;
  g_autoptr(CoStudent) student = NULL;

  g_return_val_if_fail (CO_IS_VERIFIER (self), NULL);
  g_return_val_if_fail (uid != NULL, NULL);

  if (!(hex = normalize_uid (uid)))
    return verdict_new (CO_VERDICT_BAD_INPUT, CO_VERIFY_INPUT_NONE);

  card = co_store_lookup_card_by_uid (self->store, hex, &student);
  return verify_card (self, CO_VERIFY_INPUT_UID, card, student);
}

CoVerdict *
co_verifier_verify_text (CoVerifier *self,
                         const char *text)
{
  g_autofree char *trimmed = NULL;
  gsize len;

  g_return_val_if_fail (CO_IS_VERIFIER (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  len = strlen (trimmed);

  if (len == 8 && all_digits (trimmed, len))
    {
      CoVerdict *verdict = verify_edu_id (self, trimmed);
      g_autoptr(CoCard) card = NULL;
      g_autoptr(CoStudent) student = NULL;

      if (verdict != NULL)
        return verdict;

      /* Eight digits are also eight hex digits: a chip UID? */
      if ((card = co_store_lookup_card_by_uid (self->store, trimmed, &student)))
        return verify_card (self, CO_VERIFY_INPUT_UID, card, student);

      return verdict_new (CO_VERDICT_UNKNOWN, CO_VERIFY_INPUT_EDU_ID);
    }

  if (len > 8 && len <= 20 && all_digits (trimmed, len))
    {
      g_autoptr(CoCard) card = NULL;
      g_autoptr(CoStudent) student = NULL;
      g_autofree char *hex = NULL;

      if ((card = co_store_lookup_card_by_no (self->store, trimmed, &student)))
        return verify_card (self, CO_VERIFY_INPUT_CARD_NO, card, student);

      if (!(hex = normalize_uid (trimmed)))
        return verdict_new (CO_VERDICT_UNKNOWN, CO_VERIFY_INPUT_CARD_NO);
    }

  return co_verifier_verify_uid (self, trimmed);
}
