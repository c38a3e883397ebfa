/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Shared by the api tests: valid JSON answers and a way to wait for an
 * async result.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define STUDENT_JSON(edu_id, card_status) \
  "{\"edu_id\":\"" edu_id "\",\"name\":\"欧阳子涵\",\"gender\":\"female\",\"grade\":3," \
  "\"class_name\":\"3班\",\"stage\":\"primary\",\"entry\":\"continuing\"," \
  "\"school_name\":\"北京市海淀区示范学校\",\"photo_etag\":null," \
  "\"updated_at\":\"2026-03-02T09:15:00+08:00\"," \
  "\"card\":{\"card_no\":\"1000751200012345\",\"bjt_no\":\"110105001234\",\"uid\":\"04A1B2C3\"," \
  "\"status\":\"" card_status "\",\"issued_on\":\"2025-09-01\",\"valid_until\":\"2029-08-31\"}," \
  "\"reissue\":null}"

#define REISSUE_JSON(edu_id) \
  "{\"id\":7,\"edu_id\":\"" edu_id "\",\"status\":\"paid\",\"delivery\":\"home\"," \
  "\"address\":\"北京市海淀区中关村大街1号\",\"recipient\":\"欧阳娜娜\",\"phone\":\"13800138000\"," \
  "\"fee_fen\":1500,\"courier_fee_fen\":null,\"courier_no\":null," \
  "\"created_at\":\"2026-03-02T09:15:00+08:00\",\"paid_at\":\"2026-03-02T09:20:00+08:00\"," \
  "\"due_on\":\"2026-03-30\",\"payment_expires_at\":null}"

/* Iterates the main context until *@result is set. */
static inline GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static inline void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

G_END_DECLS
