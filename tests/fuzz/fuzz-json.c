/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Fuzz target: a server answer's bytes through co_json_parse() and then
 * every decoder the client and the sync use on answers (co-json.h): a
 * student, a reissue, a payment, the school, an audit entry, a card
 * lookup, a login, the list pages (students, reissues, audit entries), a
 * roster page and an error body. Whatever a decoder accepts is built into
 * its objects, as the client does.
 */
#define G_LOG_DOMAIN "fuzz-json"

#include "config.h"

#include "co-json.h"

#include "fuzz-common.h"

typedef gpointer (*DecodeFunc) (JsonNode *, const char *, GError **);

static void
decode_list (JsonNode   *root,
             const char *member,
             GType       item_type,
             DecodeFunc  decode)
{
  g_autoptr(GListModel) model = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(GError) error = NULL;

  model = co_json_decode_list_page (root, member, item_type, decode, &cursor, &error);
  g_assert ((model != NULL) != (error != NULL));
  if (model != NULL)
    g_assert (g_list_model_get_item_type (model) == item_type);
}

static void
read_records (JsonNode *root)
{
  CoStudentRecord student;
  CoReissueRecord reissue;

  if (co_json_read_student (root, "", &student, NULL))
    {
      g_autoptr(CoStudent) object = co_student_new_from_record (&student);
      g_autoptr(CoCard) card = co_card_new_from_record (&student);

      g_assert (object != NULL);
      g_assert ((card != NULL) == student.has_card);
    }
  if (co_json_read_reissue (root, "", &reissue, NULL))
    {
      g_autoptr(CoReissue) object = co_reissue_new_from_record (&reissue);

      g_assert (object != NULL);
    }
}

#define DECODE(type, func)                                           \
  G_STMT_START {                                                     \
    g_autoptr(GError) error = NULL;                                  \
    g_autoptr(type) value = func (root, NULL, &error);               \
    g_assert ((value != NULL) != (error != NULL));                   \
  } G_STMT_END

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(CoRosterDelta) page = NULL;
  const char *code, *message, *field;

  fuzz_setup ();
  if (!(root = co_json_parse ((const char *) data, size, NULL)))
    return 0;

  DECODE (CoStudent, co_json_decode_student);
  DECODE (CoReissue, co_json_decode_reissue);
  DECODE (CoPayment, co_json_decode_payment);
  DECODE (CoSchoolInfo, co_json_decode_school);
  DECODE (CoAuditEntry, co_json_decode_audit_entry);
  DECODE (CoCardLookup, co_json_decode_card_lookup);
  DECODE (CoLoginResult, co_json_decode_login);
  read_records (root);

  decode_list (root, "students", CO_TYPE_STUDENT, (DecodeFunc) co_json_decode_student);
  decode_list (root, "reissues", CO_TYPE_REISSUE, (DecodeFunc) co_json_decode_reissue);
  decode_list (root, "entries", CO_TYPE_AUDIT_ENTRY, (DecodeFunc) co_json_decode_audit_entry);

  (void) co_json_read_error_body (root, &code, &message, &field);

  page = co_json_decode_roster_page (json_node_copy (root), NULL);
  if (page != NULL)
    {
      for (guint i = 0; i < page->students->len; i++)
        {
          const CoStudentRecord *record = &g_array_index (page->students, CoStudentRecord, i);
          g_autoptr(CoStudent) student = co_student_new_from_record (record);

          g_assert (student != NULL);
        }
    }
  return 0;
}
