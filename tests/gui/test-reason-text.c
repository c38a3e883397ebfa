/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * co-reason-text: every value of every enum has its own words, in English
 * and in Chinese. Values are taken from the GEnum types, so one added to
 * co-types.h is checked without touching this test. Needs no display.
 */
#define G_LOG_DOMAIN "test-reason-text"

#include "config.h"

#include <locale.h>

#include "co-enum-types.h"
#include "co-gui-test-util.h"
#include "co-reason-text.h"

typedef struct
{
  GType        (*get_type) (void);
  const char  *(*to_text)  (int value);
  /* The exact words of DOMAIN.md, by value (NULL: free text), or NULL. */
  const char * const *zh;
  guint               n_zh;
} TextCase;

static const char *
reason_text (int value)
{
  return co_reason_to_text ((CoReason) value);
}

static const char *
card_status_text (int value)
{
  return co_card_status_to_text ((CoCardStatus) value);
}

static const char *
reissue_status_text (int value)
{
  return co_reissue_status_to_text ((CoReissueStatus) value);
}

static const char *
delivery_text (int value)
{
  return co_delivery_to_text ((CoDelivery) value);
}

static const char *
stage_text (int value)
{
  return co_stage_to_text ((CoStage) value);
}

static const char * const card_status_zh[] = { "未发卡", "正常", "已挂失", "已注销" };
static const char * const reissue_status_zh[] = {
  NULL, "待支付", "已缴费", "制卡中", "待领取", "已寄出", "已领取", "已退费", "已撤销",
};
static const char * const delivery_zh[] = { "配送到家", "配送到校" };
static const char * const stage_zh[] = { "小学", "初中", "高中" };

static const TextCase reason_case = {
  co_reason_get_type, reason_text, NULL, 0,
};
static const TextCase card_status_case = {
  co_card_status_get_type, card_status_text, card_status_zh, G_N_ELEMENTS (card_status_zh),
};
static const TextCase reissue_status_case = {
  co_reissue_status_get_type, reissue_status_text, reissue_status_zh, G_N_ELEMENTS (reissue_status_zh),
};
static const TextCase delivery_case = {
  co_delivery_get_type, delivery_text, delivery_zh, G_N_ELEMENTS (delivery_zh),
};
static const TextCase stage_case = {
  co_stage_get_type, stage_text, stage_zh, G_N_ELEMENTS (stage_zh),
};

static gboolean
has_han (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
        return TRUE;
    }

  return FALSE;
}

static void
test_texts (gconstpointer data)
{
  const TextCase *tc = data;
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (tc->get_type ());
  g_autoptr(GHashTable) english_seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) chinese_seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) english = g_ptr_array_new_with_free_func (g_free);

  if (tc->zh != NULL)
    g_assert_cmpuint (enum_class->n_values, ==, tc->n_zh);

  g_assert_true (co_test_set_locale ("C"));

  for (guint i = 0; i < enum_class->n_values; i++)
    {
      const GEnumValue *value = &enum_class->values[i];
      const char *text = tc->to_text (value->value);

      g_test_message ("%s: %s", value->value_nick, text);
      g_assert_nonnull (text);
      g_assert_cmpstr (text, !=, "");
      g_assert_false (has_han (text));
      if (!g_hash_table_add (english_seen, (gpointer) text))
        g_error ("%s: “%s” is used twice", value->value_name, text);

      g_ptr_array_add (english, g_strdup (text));
    }

  if (!co_test_set_locale ("zh_CN.UTF-8"))
    {
      g_test_skip ("the zh_CN.UTF-8 locale is not available");
      return;
    }

  for (guint i = 0; i < enum_class->n_values; i++)
    {
      const GEnumValue *value = &enum_class->values[i];
      const char *text = tc->to_text (value->value);

      g_test_message ("%s: %s", value->value_nick, text);
      g_assert_nonnull (text);
      g_assert_cmpstr (text, !=, "");
      if (g_str_equal (text, g_ptr_array_index (english, i)) || !has_han (text))
        g_error ("%s: “%s” is not translated", value->value_name, text);
      if (!g_hash_table_add (chinese_seen, (gpointer) text))
        g_error ("%s: “%s” is used twice", value->value_name, text);

      if (tc->zh != NULL && tc->zh[i] != NULL)
        g_assert_cmpstr (text, ==, tc->zh[i]);
    }

  g_assert_true (co_test_set_locale ("C"));
}

/* The wording DOMAIN.md and the school's letter use. */
static void
test_reason_wording (void)
{
  if (!co_test_set_locale ("zh_CN.UTF-8"))
    {
      g_test_skip ("the zh_CN.UTF-8 locale is not available");
      return;
    }

  g_assert_cmpstr (co_reason_to_text (CO_REASON_IN_PRODUCTION), ==,
                   "新卡已在制作中，不能再退费。");
  g_assert_cmpstr (co_reason_to_text (CO_REASON_SCHOOL_HOLIDAY), ==,
                   "寒暑假期间暂停配送到校，请选择配送到家。");

  g_assert_true (co_test_set_locale ("C"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/gui/text/reason", &reason_case, test_texts);
  g_test_add_data_func ("/gui/text/card-status", &card_status_case, test_texts);
  g_test_add_data_func ("/gui/text/reissue-status", &reissue_status_case, test_texts);
  g_test_add_data_func ("/gui/text/delivery", &delivery_case, test_texts);
  g_test_add_data_func ("/gui/text/stage", &stage_case, test_texts);
  g_test_add_func ("/gui/text/reason/wording", test_reason_wording);

  return g_test_run ();
}
