/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Wire names of the enums, and the model objects' properties.
 */
#define G_LOG_DOMAIN "test-model"

#include "config.h"

#include "co-model.h"

/* Wire names */

typedef struct
{
  const char *path;
  GType     (*get_type) (void);
  const char *first_wire;
  guint       n_values;
} EnumCase;

static const EnumCase enum_cases[] = {
  { "stage",          co_stage_get_type,          "primary",         3 },
  { "gender",         co_gender_get_type,         "male",            2 },
  { "card-status",    co_card_status_get_type,    "not_issued",      4 },
  { "reissue-status", co_reissue_status_get_type, "none",            9 },
  { "delivery",       co_delivery_get_type,       "home",            2 },
  { "entry",          co_entry_get_type,          "new_entrant",     4 },
  { "action",         co_action_get_type,         "report_loss",     10 },
  { "reason",         co_reason_get_type,         "none",            28 },
};

static void
test_enum_round_trip (gconstpointer data)
{
  const EnumCase *ec = data;
  GType type = ec->get_type ();
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);

  g_assert_cmpuint (klass->n_values, ==, ec->n_values);
  g_assert_cmpstr (co_enum_to_wire (type, klass->minimum), ==, ec->first_wire);

  for (guint i = 0; i < klass->n_values; i++)
    {
      const GEnumValue *ev = &klass->values[i];
      const char *wire = co_enum_to_wire (type, ev->value);
      int back = -1;

      /* The values are 0..n-1 in declaration order. */
      g_assert_cmpint (ev->value, ==, (int) i);
      g_assert_nonnull (wire);
      g_assert_cmpstr (wire, ==, ev->value_nick);

      /* snake_case: lower-case ASCII letters and underscores */
      for (const char *p = wire; *p; p++)
        g_assert_true (g_ascii_islower (*p) || *p == '_');

      g_assert_true (co_enum_from_wire (type, wire, &back));
      g_assert_cmpint (back, ==, ev->value);
    }
}

static void
test_enum_unknown (gconstpointer data)
{
  const EnumCase *ec = data;
  GType type = ec->get_type ();
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  g_autofree char *upper = g_ascii_strup (ec->first_wire, -1);
  static const char *unknown[] = { "", "bogus", " none", "none ", "report-loss", "Reported_Lost" };
  int value = 12345;

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_assert_false (co_enum_from_wire (type, unknown[i], &value));
      g_assert_cmpint (value, ==, 12345);
    }

  g_assert_false (co_enum_from_wire (type, upper, &value));
  g_assert_false (co_enum_from_wire (type, NULL, &value));
  g_assert_cmpint (value, ==, 12345);

  g_assert_null (co_enum_to_wire (type, klass->maximum + 1));
  g_assert_null (co_enum_to_wire (type, -1));
}

static void
test_enum_wire_names (void)
{
  /* The wire names DESIGN.md fixes. */
  g_assert_cmpstr (co_enum_to_wire (CO_TYPE_CARD_STATUS, CO_CARD_STATUS_REPORTED_LOST), ==, "reported_lost");
  g_assert_cmpstr (co_enum_to_wire (CO_TYPE_REISSUE_STATUS, CO_REISSUE_STATUS_AWAITING_PICKUP), ==, "awaiting_pickup");
  g_assert_cmpstr (co_enum_to_wire (CO_TYPE_REISSUE_STATUS, CO_REISSUE_STATUS_PENDING_PAYMENT), ==, "pending_payment");
  g_assert_cmpstr (co_enum_to_wire (CO_TYPE_DELIVERY, CO_DELIVERY_SCHOOL), ==, "school");
  g_assert_cmpstr (co_enum_to_wire (CO_TYPE_STAGE, CO_STAGE_SENIOR), ==, "senior");
  g_assert_cmpstr (co_enum_to_wire (CO_TYPE_ACTION, CO_ACTION_FINISH_PRODUCTION), ==, "finish_production");
  g_assert_cmpstr (co_enum_to_wire (CO_TYPE_REASON, CO_REASON_STICKER_REISSUED), ==, "sticker_reissued");
}

/* Stages */

static void
test_stage_for_grade (void)
{
  static const CoStage expected[13] = {
    0,
    CO_STAGE_PRIMARY, CO_STAGE_PRIMARY, CO_STAGE_PRIMARY,
    CO_STAGE_PRIMARY, CO_STAGE_PRIMARY, CO_STAGE_PRIMARY,
    CO_STAGE_JUNIOR, CO_STAGE_JUNIOR, CO_STAGE_JUNIOR,
    CO_STAGE_SENIOR, CO_STAGE_SENIOR, CO_STAGE_SENIOR,
  };

  for (int grade = 1; grade <= 12; grade++)
    g_assert_cmpint (co_stage_for_grade (grade), ==, expected[grade]);

  g_assert_cmpint (co_stage_last_grade (CO_STAGE_PRIMARY), ==, 6);
  g_assert_cmpint (co_stage_last_grade (CO_STAGE_JUNIOR), ==, 9);
  g_assert_cmpint (co_stage_last_grade (CO_STAGE_SENIOR), ==, 12);
}

static void
test_stage_bad_grade (void)
{
  static const int bad[] = { 0, 13, -1 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_expect_message ("co-model", G_LOG_LEVEL_CRITICAL, "*grade >= 1*");
      co_stage_for_grade (bad[i]);
      g_test_assert_expected_messages ();
    }

  g_test_expect_message ("co-model", G_LOG_LEVEL_CRITICAL, "*should not be reached*");
  g_assert_cmpint (co_stage_last_grade ((CoStage) 7), ==, 0);
  g_test_assert_expected_messages ();
}

/* Notification counting */

typedef struct
{
  GHashTable *counts; /* property name -> count */
} Notes;

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  Notes *notes = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (notes->counts, pspec->name));

  g_hash_table_insert (notes->counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static guint
notes_count (Notes      *notes,
             const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (notes->counts, name));
}

static guint
notes_total (Notes *notes)
{
  GHashTableIter iter;
  gpointer value;
  guint total = 0;

  g_hash_table_iter_init (&iter, notes->counts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    total += GPOINTER_TO_UINT (value);
  return total;
}

static void
notes_watch (Notes   *notes,
             GObject *object)
{
  notes->counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_signal_connect (object, "notify", G_CALLBACK (on_notify_cb), notes);
}

static void
notes_clear (Notes *notes)
{
  g_clear_pointer (&notes->counts, g_hash_table_unref);
}

/* Sets property @name to @value twice: one notification, and the value
 * reads back. */
static void
check_property_round_trip (GObject    *object,
                           const char *name,
                           const GValue *value)
{
  Notes notes = { 0 };
  g_auto(GValue) got = G_VALUE_INIT;
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), name);

  g_assert_nonnull (pspec);
  g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);
  g_assert_true (pspec->flags & G_PARAM_STATIC_NAME);

  notes_watch (&notes, object);

  g_object_set_property (object, name, value);
  g_assert_cmpuint (notes_count (&notes, name), ==, 1);
  g_object_set_property (object, name, value);
  g_assert_cmpuint (notes_count (&notes, name), ==, 1);

  g_value_init (&got, G_VALUE_TYPE (value));
  g_object_get_property (object, name, &got);
  g_assert_cmpint (g_param_values_cmp (pspec, value, &got), ==, 0);

  g_signal_handlers_disconnect_by_func (object, on_notify_cb, &notes);
  notes_clear (&notes);
}

/* Sets every writable property of @object to a value different from its
 * current one. */
static void
check_all_properties (GObject *object)
{
  guint n_pspecs = 0;
  g_autofree GParamSpec **pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object),
                                                                   &n_pspecs);

  g_assert_cmpuint (n_pspecs, >, 0);

  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      g_auto(GValue) current = G_VALUE_INIT;
      g_auto(GValue) value = G_VALUE_INIT;

      if (!(pspec->flags & G_PARAM_WRITABLE))
        continue;

      g_value_init (&current, pspec->value_type);
      g_object_get_property (object, pspec->name, &current);
      g_value_init (&value, pspec->value_type);

      if (G_IS_PARAM_SPEC_STRING (pspec))
        {
          /* Upper case: the UID setters normalise to it. */
          g_autofree char *text = g_ascii_strup (pspec->name, -1);

          g_assert_cmpstr (g_value_get_string (&current), !=, text);
          g_value_set_string (&value, text);
        }
      else if (G_IS_PARAM_SPEC_INT (pspec))
        {
          int v = g_value_get_int (&current);

          g_value_set_int (&value, v < G_PARAM_SPEC_INT (pspec)->maximum ? v + 1 : v - 1);
        }
      else if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
        {
          g_value_set_boolean (&value, !g_value_get_boolean (&current));
        }
      else if (G_IS_PARAM_SPEC_ENUM (pspec))
        {
          GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
          int v = g_value_get_enum (&current);

          g_value_set_enum (&value, v == klass->maximum ? klass->minimum : klass->maximum);
        }
      else
        {
          g_assert_not_reached ();
        }

      check_property_round_trip (object, pspec->name, &value);
    }
}

/* CoStudent */

static void
test_student_new (void)
{
  g_autoptr(CoStudent) student = co_student_new ("12345678", "张三");

  g_assert_cmpstr (co_student_get_edu_id (student), ==, "12345678");
  g_assert_cmpstr (co_student_get_name (student), ==, "张三");
  g_assert_cmpint (co_student_get_grade (student), ==, 1);
  g_assert_cmpint (co_student_get_stage (student), ==, CO_STAGE_PRIMARY);
  g_assert_cmpint (co_student_get_card_status (student), ==, CO_CARD_STATUS_NOT_ISSUED);
  g_assert_cmpint (co_student_get_entry (student), ==, CO_ENTRY_CONTINUING);
  g_assert_null (co_student_get_card_no (student));
  g_assert_null (co_student_get_uid (student));
}

static void
test_student_properties (void)
{
  g_autoptr(CoStudent) student = co_student_new ("12345678", "张三");

  check_all_properties (G_OBJECT (student));
}

static void
test_student_setters (void)
{
  g_autoptr(CoStudent) student = co_student_new ("12345678", NULL);
  g_autofree char *class_name = NULL;
  CoCardStatus status;
  Notes notes = { 0 };

  notes_watch (&notes, G_OBJECT (student));

  co_student_set_name (student, "李四");
  co_student_set_name (student, "李四");
  co_student_set_class_name (student, "3班");
  co_student_set_class_name (student, "3班");
  co_student_set_school (student, "北京市第一实验学校");
  co_student_set_gender (student, CO_GENDER_FEMALE);
  co_student_set_gender (student, CO_GENDER_FEMALE);
  co_student_set_card_status (student, CO_CARD_STATUS_ACTIVE);
  co_student_set_card_status (student, CO_CARD_STATUS_ACTIVE);
  co_student_set_card_no (student, "1000123456789");
  co_student_set_bjt_no (student, "BJT0001");
  co_student_set_valid_until (student, "2032-08-31");
  co_student_set_photo_etag (student, "\"abc\"");
  co_student_set_entry (student, CO_ENTRY_NEW_ENTRANT);
  co_student_set_edu_id (student, "12345678");

  g_assert_cmpuint (notes_count (&notes, "name"), ==, 1);
  g_assert_cmpuint (notes_count (&notes, "class-name"), ==, 1);
  g_assert_cmpuint (notes_count (&notes, "school"), ==, 1);
  g_assert_cmpuint (notes_count (&notes, "gender"), ==, 1);
  g_assert_cmpuint (notes_count (&notes, "card-status"), ==, 1);
  g_assert_cmpuint (notes_count (&notes, "card-no"), ==, 1);
  g_assert_cmpuint (notes_count (&notes, "bjt-no"), ==, 1);
  g_assert_cmpuint (notes_count (&notes, "valid-until"), ==, 1);
  g_assert_cmpuint (notes_count (&notes, "photo-etag"), ==, 1);
  g_assert_cmpuint (notes_count (&notes, "entry"), ==, 1);
  g_assert_cmpuint (notes_count (&notes, "edu-id"), ==, 0);
  g_assert_cmpuint (notes_total (&notes), ==, 10);

  /* Setting NULL is a change too, and only once. */
  co_student_set_name (student, NULL);
  co_student_set_name (student, NULL);
  g_assert_cmpuint (notes_count (&notes, "name"), ==, 2);
  g_assert_null (co_student_get_name (student));

  g_object_get (student, "class-name", &class_name, "card-status", &status, NULL);
  g_assert_cmpstr (class_name, ==, "3班");
  g_assert_cmpint (status, ==, CO_CARD_STATUS_ACTIVE);
  g_assert_cmpint (co_student_get_gender (student), ==, CO_GENDER_FEMALE);

  g_signal_handlers_disconnect_by_func (student, on_notify_cb, &notes);
  notes_clear (&notes);
}

static void
test_student_uid_upper_case (void)
{
  g_autoptr(CoStudent) student = co_student_new ("12345678", NULL);
  Notes notes = { 0 };

  notes_watch (&notes, G_OBJECT (student));

  co_student_set_uid (student, "04a1b2c3d4e5f6");
  g_assert_cmpstr (co_student_get_uid (student), ==, "04A1B2C3D4E5F6");
  co_student_set_uid (student, "04A1B2C3D4E5F6");
  co_student_set_uid (student, "04a1B2c3D4e5F6");
  g_assert_cmpuint (notes_count (&notes, "uid"), ==, 1);

  g_signal_handlers_disconnect_by_func (student, on_notify_cb, &notes);
  notes_clear (&notes);
}

static void
test_student_stage (void)
{
  g_autoptr(CoStudent) student = co_student_new ("12345678", NULL);
  Notes notes = { 0 };
  CoStage stage;

  notes_watch (&notes, G_OBJECT (student));

  /* Inside a stage: grade changes, stage does not. */
  co_student_set_grade (student, 6);
  g_assert_cmpuint (notes_count (&notes, "grade"), ==, 1);
  g_assert_cmpuint (notes_count (&notes, "stage"), ==, 0);
  g_assert_cmpint (co_student_get_stage (student), ==, CO_STAGE_PRIMARY);

  /* 小升初 */
  co_student_set_grade (student, 7);
  g_assert_cmpuint (notes_count (&notes, "grade"), ==, 2);
  g_assert_cmpuint (notes_count (&notes, "stage"), ==, 1);
  g_assert_cmpint (co_student_get_stage (student), ==, CO_STAGE_JUNIOR);

  /* Unchanged */
  co_student_set_grade (student, 7);
  g_object_set (student, "grade", 7, NULL);
  g_assert_cmpuint (notes_count (&notes, "grade"), ==, 2);
  g_assert_cmpuint (notes_count (&notes, "stage"), ==, 1);

  /* 初升高, through the property */
  g_object_set (student, "grade", 10, NULL);
  g_object_get (student, "stage", &stage, NULL);
  g_assert_cmpint (stage, ==, CO_STAGE_SENIOR);
  g_assert_cmpuint (notes_count (&notes, "stage"), ==, 2);

  co_student_set_grade (student, 12);
  g_assert_cmpint (co_student_get_stage (student), ==, CO_STAGE_SENIOR);
  g_assert_cmpuint (notes_count (&notes, "stage"), ==, 2);

  /* Out of range: refused, nothing changes */
  g_test_expect_message ("co-model", G_LOG_LEVEL_CRITICAL, "*grade >= 1*");
  co_student_set_grade (student, 13);
  g_test_assert_expected_messages ();
  g_assert_cmpint (co_student_get_grade (student), ==, 12);
  g_assert_cmpuint (notes_count (&notes, "grade"), ==, 4);

  /* stage is read-only */
  g_assert_false (g_object_class_find_property (G_OBJECT_GET_CLASS (student), "stage")->flags
                  & G_PARAM_WRITABLE);

  g_signal_handlers_disconnect_by_func (student, on_notify_cb, &notes);
  notes_clear (&notes);
}

/* The other model objects */

static void
test_card (void)
{
  g_autoptr(CoCard) card = co_card_new ("1000123456789");

  g_assert_cmpstr (co_card_get_card_no (card), ==, "1000123456789");
  g_assert_cmpint (co_card_get_status (card), ==, CO_CARD_STATUS_NOT_ISSUED);

  co_card_set_uid (card, "0a0b0c0d");
  g_assert_cmpstr (co_card_get_uid (card), ==, "0A0B0C0D");

  check_all_properties (G_OBJECT (card));
}

static void
test_reissue (void)
{
  g_autoptr(CoReissue) reissue = co_reissue_new ("r-1", "12345678", CO_DELIVERY_HOME);
  CoCase c;

  g_assert_cmpstr (co_reissue_get_id (reissue), ==, "r-1");
  g_assert_cmpstr (co_reissue_get_edu_id (reissue), ==, "12345678");
  g_assert_cmpint (co_reissue_get_delivery (reissue), ==, CO_DELIVERY_HOME);
  g_assert_cmpint (co_reissue_get_status (reissue), ==, CO_REISSUE_STATUS_PENDING_PAYMENT);
  g_assert_cmpint (co_reissue_get_fee_fen (reissue), ==, 1500);
  g_assert_cmpint (co_reissue_get_courier_fee_fen (reissue), ==, 0);

  co_reissue_get_case (reissue, CO_CARD_STATUS_REPORTED_LOST, &c);
  g_assert_cmpint (c.card, ==, CO_CARD_STATUS_REPORTED_LOST);
  g_assert_cmpint (c.reissue, ==, CO_REISSUE_STATUS_PENDING_PAYMENT);
  g_assert_cmpint (c.delivery, ==, CO_DELIVERY_HOME);
  g_assert_cmpint (co_rules_check (CO_ACTION_PAY, &c), ==, CO_REASON_NONE);

  check_all_properties (G_OBJECT (reissue));
}

static void
test_new_card_request (void)
{
  g_autoptr(CoNewCardRequest) req = co_new_card_request_new ("12345678", "王五", 1,
                                                             CO_ENTRY_NEW_ENTRANT);

  g_assert_cmpstr (co_new_card_request_get_name (req), ==, "王五");
  g_assert_cmpint (co_new_card_request_check (req), ==, CO_REASON_NONE);

  co_new_card_request_set_grade (req, 3);
  g_assert_cmpint (co_new_card_request_check (req), ==, CO_REASON_NEW_CARD_NOT_ENTRANT);
  co_new_card_request_set_entry (req, CO_ENTRY_TRANSFER_OUTSIDE);
  g_assert_cmpint (co_new_card_request_check (req), ==, CO_REASON_NONE);
  co_new_card_request_set_grade (req, 0);
  g_assert_cmpint (co_new_card_request_check (req), ==, CO_REASON_GRADE_INVALID);
  co_new_card_request_set_edu_id (req, "1234567");
  g_assert_cmpint (co_new_card_request_check (req), ==, CO_REASON_EDU_ID_INVALID);

  check_all_properties (G_OBJECT (req));
}

static void
test_sticker_request (void)
{
  g_autoptr(CoStickerRequest) req = co_sticker_request_new ("87654321", "赵六", 7,
                                                            CO_ENTRY_NEW_ENTRANT);

  g_assert_false (co_sticker_request_get_reissued_in_stage (req));
  g_assert_cmpint (co_sticker_request_check (req), ==, CO_REASON_NONE);

  co_sticker_request_set_reissued_in_stage (req, TRUE);
  g_assert_cmpint (co_sticker_request_check (req), ==, CO_REASON_STICKER_REISSUED);
  co_sticker_request_set_grade (req, 8);
  g_assert_cmpint (co_sticker_request_check (req), ==, CO_REASON_STICKER_WRONG_GRADE);
  co_sticker_request_set_edu_id (req, NULL);
  g_assert_cmpint (co_sticker_request_check (req), ==, CO_REASON_EDU_ID_INVALID);

  check_all_properties (G_OBJECT (req));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (enum_cases); i++)
    {
      g_autofree char *round_trip = g_strdup_printf ("/core/model/wire/%s/round-trip", enum_cases[i].path);
      g_autofree char *unknown = g_strdup_printf ("/core/model/wire/%s/unknown", enum_cases[i].path);

      g_test_add_data_func (round_trip, &enum_cases[i], test_enum_round_trip);
      g_test_add_data_func (unknown, &enum_cases[i], test_enum_unknown);
    }
  g_test_add_func ("/core/model/wire/names", test_enum_wire_names);
  g_test_add_func ("/core/model/stage/for-grade", test_stage_for_grade);
  g_test_add_func ("/core/model/stage/bad-grade", test_stage_bad_grade);
  g_test_add_func ("/core/model/student/new", test_student_new);
  g_test_add_func ("/core/model/student/properties", test_student_properties);
  g_test_add_func ("/core/model/student/setters", test_student_setters);
  g_test_add_func ("/core/model/student/uid-upper-case", test_student_uid_upper_case);
  g_test_add_func ("/core/model/student/stage", test_student_stage);
  g_test_add_func ("/core/model/card", test_card);
  g_test_add_func ("/core/model/reissue", test_reissue);
  g_test_add_func ("/core/model/new-card-request", test_new_card_request);
  g_test_add_func ("/core/model/sticker-request", test_sticker_request);

  return g_test_run ();
}
