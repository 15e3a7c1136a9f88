# Русский. $what — описание счёта (what-single / what-several), всегда после двоеточия.
days-count = { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[many] { $days } дней
}
what-single = счёт { $number } ({ $amount })
what-several = { $count ->
    [one] { $count } неоплаченный счёт
    [few] { $count } неоплаченных счёта
   *[many] { $count } неоплаченных счетов
} на общую сумму { $amount }
subject-before = Срок оплаты { $due }: { $what }
subject-overdue = Напоминание об оплате: { $what }
subject-firm = Повторное напоминание: { $what }
subject-final = Последнее напоминание: { $what }
subject-suspension = Приостановка обслуживания { $stop }: { $what }
subject-thanks = Спасибо за оплату
greeting = Здравствуйте, { $name }!
body-before = Дружески напоминаем, что { $due } наступает срок оплаты: { $what }.
body-before-2 = Если вы уже произвели оплату, благодарим вас и просим не обращать внимания на это письмо.
body-overdue = Мы пока не получили оплату со сроком { $due } (просрочка { days-count }): { $what }.
body-overdue-2 = Возможно, платёж просто затерялся. Будем признательны, если вы сможете оплатить в ближайшее время.
body-firm = Оплата просрочена уже на { days-count }: { $what }.
body-firm-2 = Пожалуйста, произведите оплату или ответьте на это письмо, если что-то мешает, — мы вместе найдём решение.
body-final = Несмотря на наши напоминания, оплата до сих пор не поступила (просрочка { days-count }): { $what }.
body-final-2 = Просим оплатить в течение 7 дней или связаться с нами, если со счётом что-то не так. Мы всегда предпочтём найти решение вместе с вами.
body-suspension = Оплата до сих пор не поступила (просрочка { days-count }): { $what }.
body-suspension-2 = Если оплата не поступит до { $stop }, в этот день нам придётся приостановить обслуживание. Оно возобновится сразу после оплаты.
body-suspension-3 = Если платёж уже в пути или вы хотите согласовать график платежей, просто ответьте на это письмо.
body-thanks = Спасибо! Мы получили вашу оплату: { $what }.
body-thanks-2 = Все счета оплачены. Благодарим за сотрудничество.
closing = Благодарим за сотрудничество.
sign-off = С уважением,
label-invoice = Счёт
label-due-date = Срок оплаты
label-amount-due = К оплате
label-total = Итого к оплате
label-pay-now = Оплатить
label-questions = Вопросы по счёту? Пишите на
overdue-days = просрочка { days-count }
answer-intro = Уже оплатили или нужно больше времени? Сообщите нам:
answer-paid = Я уже оплатил(а)
answer-promise = Оплачу к определённой дате
answer-dispute = Я оспариваю счёт
unsubscribe = Не хотите получать напоминания до наступления срока? Отписаться
label-registry = Рег. код
label-vat = Номер плательщика НДС
bank-transfer = Банковский перевод: IBAN { $iban }; в назначении платежа укажите номер счёта.
sms-what-single = счёт { $number }, { $amount }
sms-what-several = { $count ->
    [one] { $count } счёт
    [few] { $count } счёта
   *[many] { $count } счетов
}, { $amount }
sms-before = { $creditor }: напоминаем, срок { $due }: { $what }
sms-overdue = { $creditor }: срок был { $due }: { $what }. Просим оплатить
sms-firm = { $creditor }: просрочка { days-count }: { $what }. Просим оплатить
sms-final = { $creditor }: последнее напоминание: { $what }. Оплатите за 7 дней
sms-suspension = { $creditor }: не оплачено: { $what }. Обслуживание приостановится { $stop }
sms-thanks = { $creditor }: спасибо, оплата получена.
answer-title-paid = Я уже оплатил(а)
answer-title-promise = Оплачу к определённой дате
answer-title-dispute = Я оспариваю счёт
answer-title-unsubscribe = Без напоминаний до срока оплаты
answer-ask-paid = Сообщите компании { $creditor }, что вы уже оплатили: { $what }. Напоминания приостановятся на 7 дней, пока платёж идёт.
answer-ask-promise = Сообщите компании { $creditor }, к какой дате вы оплатите: { $what }. До этой даты напоминаний не будет.
answer-ask-dispute = Напишите компании { $creditor }, что не так: { $what }. Напоминания прекратятся, пока вопрос не будет рассмотрен.
answer-ask-unsubscribe = Отказаться от дружеских напоминаний компании { $creditor } до наступления срока оплаты. Напоминания о просроченных счетах будут приходить.
answer-date = Дата оплаты
answer-reason = Что не так?
answer-send = Отправить
answer-done-paid = Спасибо! Компания { $creditor } уведомлена, напоминания приостановлены на 7 дней.
answer-done-promise = Спасибо! Компания { $creditor } уведомлена, что вы оплатите до { $date }.
answer-done-dispute = Спасибо! Компания { $creditor } уведомлена и свяжется с вами.
answer-done-unsubscribe = Готово. { $creditor } больше не будет присылать напоминания до срока оплаты.
answer-invalid = Эта ссылка не работает. Воспользуйтесь ссылкой из последнего письма или ответьте на письмо.
answer-expired = Срок действия ссылки истёк. Пожалуйста, ответьте на письмо.
answer-bad-date = Выберите дату от сегодняшнего дня до 90 дней вперёд.
statement-more = { $count ->
    [one] ещё { $count } неоплаченный счёт
    [few] ещё { $count } неоплаченных счёта
   *[many] ещё { $count } неоплаченных счетов
} на общую сумму { $amount }
label-see-all = Все неоплаченные счета
statement-title = { $creditor }: неоплаченные счета
statement-empty = Неоплаченных счетов нет. Спасибо!
notify-answer-subject = { $debtor } ответил(а): { $invoices }
notify-answer-paid = { $debtor } сообщает, что оплата произведена: { $invoices }. Напоминания приостановлены до { $date }.
notify-answer-promise = { $debtor } обещает оплатить до { $date }: { $invoices }. До этой даты напоминаний не будет.
notify-answer-dispute = { $debtor } оспаривает: { $invoices }. Причина: «{ $reason }». Напоминания остановлены, пока вы не решите вопрос в Duly.
notify-answer-unsubscribe = { $debtor } просит не присылать напоминания до срока оплаты. Напоминания о просроченных счетах продолжатся.
notify-answer-footer = Duly изменил напоминания; изменить это можно в настройках Duly.
notify-revoked-subject = Duly больше не может читать данные: { $platform }
notify-revoked-body = { $platform } больше не даёт Duly читать ваши счета, поэтому напоминания остановлены и ни одно не уйдёт по устаревшему балансу. Чтобы возобновить их, снова подключите { $platform } к Duly.
notify-sync-failing-subject = Duly не может получить данные из { $platform }
notify-sync-failing-body = Около { $hours } ч Duly не удаётся прочитать ваши счета из { $platform }. Напоминания ждут, пока остатки снова не станут актуальными, чтобы никому не напомнили об уже оплаченном счёте. Duly продолжает попытки; если { $platform } сообщает о проблеме с подключением, подключите его к Duly заново.
notify-bounced-subject = Письмо для { $debtor } не доставлено
notify-bounced-body = Напоминание для { $debtor } не удалось доставить на его адрес, поэтому Duly больше не отправляет туда письма. Исправьте адрес в вашей учётной системе; SMS по-прежнему отправляются, если есть номер мобильного.
notify-complained-subject = { $debtor } отметил напоминание как спам
notify-complained-body = { $debtor } сообщил, что напоминание нежелательно, поэтому Duly больше не отправляет ему письма. Возможно, стоит связаться с ним самостоятельно.
notify-dead-message-subject = Напоминание для { $debtor } не удалось отправить
notify-dead-message-body = Все каналы не сработали после повторных попыток, поэтому это напоминание не ушло. Подробности — в списке неудачных отправок Duly; следующий шаг графика попробует снова.
notify-dead-template-subject = Ваш шаблон { $template } ({ $language }) не сработал
notify-dead-template-body = Ваш собственный шаблон { $template } на языке { $language } не сработал на реальном письме, поэтому Duly использовал стандартный текст. Проверьте шаблон в предпросмотре и сохраните его заново.
notify-dead-sync-subject = Duly не смог прочитать запись из { $platform }
notify-dead-sync-body = Duly прекратил попытки получить { $entity } { $resource } из { $platform }. Следующая ежедневная сверка прочитает запись снова; если она удалена в { $platform }, ничего делать не нужно.
notify-digest-subject = Что требует вашего внимания в Duly ({ $count })
notify-digest-intro = Вот что произошло с последней сводки.
notify-digest-more = Ждут следующей сводки: { $count }.
web-nav-today = Сегодня
web-nav-groups = Группы клиентов
web-nav-answers = Ответы
web-nav-connections = Подключения
web-nav-notices = Уведомления
web-sign-out = Выйти
web-sign-in-title = Вход в Duly
web-sign-in-email = Ваш адрес электронной почты
web-sign-in-send = Прислать ссылку для входа
web-sign-in-continue = Перейти в Duly
web-sign-in-bad-email = Введите адрес электронной почты.
web-sign-in-sent = Если { $email } может входить, ссылка уже в пути. Она действует один раз, 15 минут.
web-sign-in-expired = Эта ссылка для входа истекла или уже использована. Запросите новую.
web-sign-in-with-failed = { $platform } не выполнил вход. Попробуйте ещё раз или запросите ссылку по почте.
web-sign-in-with-stranger = Ни один аккаунт Duly не использует { $email }. Попросите того, кто ведёт Duly в вашей компании, пригласить вас, или зарегистрируйтесь.
web-sign-in-mail-subject = Ваша ссылка для входа в Duly
web-sign-in-mail-body = Откройте эту ссылку, чтобы войти в Duly: { $link }

    Она действует один раз, 15 минут. Если вы её не запрашивали, просто проигнорируйте это письмо.
web-today-title = Сегодня
web-today-planned = Уйдёт в ближайшие 7 дней
web-today-nothing = В ближайшие 7 дней ничего не уйдёт.
web-today-answers = Последние ответы клиентов
web-today-notices = Последние уведомления
web-col-when = Когда
web-col-customer = Клиент
web-col-invoice = Счёт
web-col-step = Шаг
web-col-channels = Каналы
web-col-why = Почему
web-col-what = Что
web-groups-title = Группы клиентов
web-groups-none = Групп клиентов пока нет. Группы из вашей учётной системы появятся здесь после следующей сверки.
web-group-on = Вкл.
web-group-off = Выкл.
web-group-switch-off = Выключить
web-group-switch-on = Включить
web-group-steps-own = свои шаги
web-group-steps-default = ваши шаги по умолчанию
web-answers-title = Ответы
web-answers-none = Ответов пока нет.
web-answer-paid = сообщает, что оплатил
web-answer-promise = обещает оплатить
web-answer-dispute = оспаривает
web-answer-unsubscribe = попросил не присылать напоминания до срока оплаты
web-connections-title = Подключения
web-connections-none = Учётная система не подключена.
web-connection-ok = Подключено; последняя сверка { $at }.
web-connection-first = Подключено; идёт первый импорт.
web-connection-revoked = { $platform } закрыл доступ Duly { $at }. Подключите снова, чтобы возобновить напоминания.
web-connection-failing = Последние попытки сверки ({ $attempts }) не удались; Duly продолжает пытаться.
web-notices-title = Уведомления
web-notices-none = Ничего не требует вашего внимания.
web-dead-title = Неудачные элементы
web-debtor-open = Открытые счета
web-debtor-messages = Отправленные сообщения
web-debtor-none = Нет.
web-debtor-refused = Письма больше не отправляются на: { $addresses }
web-csrf = Срок действия формы истёк. Вернитесь, обновите страницу и попробуйте снова.
web-not-found = Не найдено.
notify-open = Открыть в Duly: { $link }
web-unavailable = У нас что-то пошло не так. Попробуйте ещё раз через минуту.
web-nav-team = Команда
web-team-title = Кто может входить
web-team-you = вы
web-team-remove = Удалить
web-team-add = Пригласить
web-team-add-yourself = Добавьте сюда свой адрес электронной почты, чтобы входить по ссылке из письма.
web-team-taken = Этот адрес уже используется для входа в другой аккаунт Duly.
web-team-mail-subject = Теперь вы можете входить в Duly: { $creditor }
web-team-mail-body = Вас пригласили в Duly, который отправляет напоминания об оплате от имени { $creditor }. Войдите по ссылке, отправленной на этот адрес: { $link }
web-debtor-resume = Возобновить напоминания
web-debtor-pause = Приостановить напоминания
web-debtor-pause-until = До (необязательно)
web-debtor-pause-reason = Почему (необязательно, видите только вы)
web-debtor-place = Писать клиенту
web-debtor-language = Язык
web-debtor-country = Страна (две буквы, для праздников)
web-debtor-time-zone = Часовой пояс
web-debtor-save = Сохранить
web-debtor-paused = Напоминания приостановлены до { $until }. { $reason }
web-bad-date = Укажите дату в формате ГГГГ-ММ-ДД.
web-bad-zone = Duly не знает такого часового пояса (например, Europe/Riga).
web-nav-schedule = График
web-schedule-title = График напоминаний
web-schedule-error = Не сохранено:
web-schedule-enabled = Напоминания включены
web-schedule-window-start = Отправлять с
web-schedule-window-end = Отправлять до
web-schedule-gap = Часов между письмами одному клиенту
web-schedule-per-week = Писем клиенту в неделю
web-schedule-grace = Дней отсрочки после обещанной даты
web-schedule-steps = Шаги
web-schedule-steps-help = Дни до срока оплаты — отрицательные. Чтобы удалить шаг, очистите его название; чтобы добавить — заполните пустую строку.
web-schedule-step-id = Название
web-schedule-step-days = Дней от срока оплаты
web-schedule-step-unit = Считать в
web-schedule-business = рабочих днях
web-schedule-calendar = календарных днях
web-schedule-step-tone = Тон
web-schedule-step-written = письменное напоминание
web-schedule-step-suspend = Приостановка через (дней)
web-schedule-minimums = Не напоминать при сумме меньше
web-schedule-currency = Валюта
web-schedule-amount = Сумма
web-schedule-save = Сохранить график
web-tone-friendly = дружелюбный
web-tone-firm = настойчивый
web-tone-final_notice = последнее напоминание
web-tone-suspension_warning = предупреждение о приостановке
web-preview-title = Предпросмотр
web-nav-preview = Сообщения
web-preview-show = Показать
web-preview-open-email = Открыть письмо в том виде, как его видит клиент
web-preview-segments = Частей SMS: { $segments }
web-nav-tokens = API-ключи
web-nav-usage = Использование
web-tokens-title = API-ключи
web-tokens-shown-once = Этот ключ показан только сейчас. Скопируйте его в свою интеграцию; Duly хранит только его отпечаток.
web-tokens-rotate = Заменить
web-tokens-revoke = Отозвать
web-tokens-none = API-ключей нет.
web-tokens-label = Название
web-tokens-create = Создать ключ
web-usage-title = Использование
web-usage-reminders = Сообщения
web-usage-emails = Письма
web-usage-segments = Части SMS
web-nav-branding = Бренд
web-branding-title = Бренд
web-branding-domain = Домен отправителя
web-branding-verified = Напоминания уходят с вашего адреса: домен подтверждён.
web-branding-unverified = Пока домен не подтверждён, напоминания уходят с адреса Duly от вашего имени.
web-branding-verify = Подтвердить домен
web-branding-records = Опубликуйте эти DNS-записи; подтверждение придёт в течение нескольких часов:
web-branding-trading-name = Торговое название
web-branding-sender-name = Имя отправителя
web-branding-from = Адрес отправителя
web-branding-reply-to = Ответы на адрес
web-branding-logo = Логотип (адрес https)
web-branding-colour = Цвет бренда
web-branding-signature = Подпись
web-branding-footer = Юридическая информация
web-branding-sms-sender = Имя отправителя SMS
web-branding-registry = Регистрационный код
web-branding-vat = Номер НДС
web-branding-address = Адрес
web-branding-domain-taken = Этот домен принадлежит другому аккаунту Duly.
web-today-sent = Отправлено недавно
web-status-sent = отправлено
web-status-partly_sent = отправлено частично
web-status-failed = не удалось
web-today-paid-since = оплачено после этого
web-answer-resolve = Закрыть спор
web-answer-end-promise = Отменить обещание
web-answer-resume = Возобновить напоминания
web-sign-up-title = Начать работу с Duly
web-sign-up-company = Название компании
web-sign-up-country = Страна
web-sign-up-send = Прислать ссылку для начала
web-sign-up-offer = Впервые в Duly? Начните здесь
web-sign-in-offer = Уже пользуетесь Duly? Войдите
web-sign-in-with-xero = Войти через Xero
web-sign-in-with-quickbooks = Войти через Intuit
web-sign-in-or-email = или по электронной почте
web-sign-up-invalid = Укажите адрес электронной почты, название компании и страну.
web-nav-templates = Шаблоны
web-templates-name = Шаблон
web-templates-custom = Для этого языка используется ваш текст.
web-templates-shipped = Используется текст Duly; измените его, чтобы он стал вашим.
web-templates-save = Сохранить шаблон
web-templates-reset = Вернуть текст Duly
web-templates-preview = Посмотреть в предпросмотре
web-templates-title = Шаблоны
web-templates-line = Строка { $line }: { $reason } Ничего не сохранено.
web-templates-yours = Ваши шаблоны
web-connections-reconnect = Подключить снова
web-connections-disconnect = Отключить
web-connections-add = Подключить платформу
web-connections-standard = Другая платформа (Standard Webhooks)
web-rule-days =
    { $unit ->
        [business] { $days ->
            [one] { $days } рабочий день
            [few] { $days } рабочих дня
            [many] { $days } рабочих дней
            *[other] { $days } рабочего дня
        }
       *[calendar] { $days ->
            [one] { $days } день
            [few] { $days } дня
            [many] { $days } дней
            *[other] { $days } дня
        }
    }
web-rule-before = за { $span } до срока оплаты
web-rule-after = через { $span } после срока оплаты
web-rule-on = в день срока оплаты
web-rule-group = график группы клиентов
web-rule-default = график по умолчанию
web-rule-moved = перенесено с { $date } на следующий рабочий день
web-rule-deferred = позже, чтобы соблюсти интервал, недельный лимит или окно отправки
web-nav-customers = Клиенты
web-customers-search = Имя, e-mail или номер счёта
web-customers-find = Найти
web-customers-none = Нет клиентов с открытыми счетами, подходящих под запрос.
web-customers-invoices = Открытые счета
web-customers-due = Долг
web-customers-earliest = Самый ранний срок оплаты
web-customers-paused = приостановлено
web-customers-title = Клиенты
web-customers-more = Показано { $shown } из { $matched }; уточните поиск.
web-today-collected = Оплачено после напоминания, последние 30 дней
web-today-collected-count = Оплачено счетов
web-today-collected-none = За последние 30 дней после напоминаний ничего не оплачено.
web-col-reminded = Напомнили
web-col-paid = Оплачено
web-col-amount = Сумма
charges-title = Начисления за просрочку на { $date }
charges-interest = Проценты
charges-compensation = Компенсация расходов на взыскание
charges-note = По закону о просрочке платежей ({ $country }); не включены в сумму к оплате выше.
settlement-offer = Оплатите { $amount } до { $date }, и этот счёт будет считаться полностью оплаченным.
notify-settled-subject = Счёт { $invoice } урегулирован: проведите списание
notify-settled-body = { $debtor } оплатил { $paid } по счёту { $invoice } до { $date }, как предлагало ваше урегулирование. Duly закрыл счёт и больше не отправляет напоминаний. Проведите оставшиеся { $rest } как списание в своей учётной системе.
