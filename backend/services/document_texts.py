"""The words of a site's documents (privacy policy, consent for forms, cookie declaration)
in Kazakh, Russian and English, with Law No. 94-V's own terms (docs/law-94-v.md).

Why here and not in the gettext catalogs, as the dashboard's strings are: a document is one
legal text that a lawyer reads and approves per language as a whole, the Kazakh is written as
Kazakh (its own word order, facts placed where no case ending is needed) rather than
translated sentence by sentence, and a published version must never change because a UI
catalog was re-translated or fuzzy-matched. So each language is one table below, read top to
bottom like the document; ``{name}`` marks a fact the generator fills in (as text, never HTML).
"""

from typing import Any

DOCUMENT_LANGUAGES = ("kk", "ru", "en")

# Data a form may collect, purposes of a form and protection measures: the keys the owner
# picks in the dashboard; each language names them below.
FORM_FIELDS = (
    "name", "phone", "email", "message", "company", "city", "address", "birth_date",
    "child_name",
)  # fmt: skip
FORM_PURPOSES = ("feedback", "callback", "order", "booking", "enrolment", "newsletter", "job")
MEASURES = ("tls", "access", "passwords", "backups", "logging", "updates", "training")
# Countries a site's servers may be in (ISO 3166 alpha-2, lower case).
HOSTING_COUNTRIES = ("kz", "ru", "de", "nl", "fi", "us", "tr", "ae", "sg")
HOME = "kz"

RU: dict[str, Any] = {
    "policy_title": "Политика обработки персональных данных",
    "consent_title": "Согласие на сбор и обработку персональных данных",
    "cookies_title": "Декларация о файлах cookie",
    "law": "Законом Республики Казахстан от 21 мая 2013 года № 94-V «О персональных данных и "
    "их защите» (далее — Закон)",
    # Policy
    "general": "Общие положения",
    "general_intro": "Настоящая политика определяет, какие персональные данные собираются на "
    "сайте {site}, для чего, как долго они хранятся и как защищаются. Она составлена в "
    "соответствии с {law}.",
    "operator_intro": "Собственник и оператор персональных данных (далее — Оператор):",
    "label_name": "Наименование",
    "label_bin": "БИН",
    "label_address": "Адрес",
    "label_email": "Электронная почта",
    "label_phone": "Телефон",
    "terms": "Основные понятия",
    "terms_items": [
        "персональные данные — сведения, относящиеся к определённому или определяемому на их "
        "основании субъекту персональных данных, зафиксированные на электронном, бумажном и "
        "(или) ином материальном носителе;",
        "субъект персональных данных (субъект) — физическое лицо, к которому относятся "
        "персональные данные, в том числе посетитель сайта;",
        "сбор персональных данных — действия, направленные на получение персональных данных;",
        "обработка персональных данных — действия, направленные на накопление, хранение, "
        "изменение, дополнение, использование, распространение, обезличивание, блокирование и "
        "уничтожение персональных данных;",
        "трансграничная передача персональных данных — передача персональных данных на "
        "территорию иностранных государств;",
        "файлы cookie — небольшие файлы, которые сайт или сторонний сервис сохраняет в "
        "браузере посетителя.",
    ],
    "data": "Какие данные собираются и для чего",
    "data_record": "Запись о вашем выборе в баннере согласия: дата и время, язык, категории и "
    "сервисы, на которые вы согласились, версия политики, тип устройства (компьютер, телефон "
    "или планшет) и необратимый код случайного идентификатора согласия. IP-адрес, данные "
    "браузера и то, что вы вводите на сайте, в запись не попадают. Цель — подтвердить, что "
    "согласие получено (статья 8 Закона).",
    "data_services": "Следующие сервисы запускаются на сайте только после вашего согласия на "
    "их категорию и получают сведения о посещении (через файлы cookie и запросы браузера):",
    "data_necessary": "Без согласия работают только необходимые сервисы, без которых сайт не "
    "работает:",
    "service_item": "{name} ({provider}, {country}) — {purpose}",
    "no_services": "Сайт не использует сторонние сервисы аналитики, рекламы или встроенного "
    "содержимого.",
    "webvisor": "Вебвизор Яндекс Метрики записывает действия на страницах сайта (клики, "
    "прокрутку, движения мыши), чтобы оценить удобство сайта. Это отдельный выбор в "
    "настройках баннера: запись ведётся, только если вы её разрешили. То, что вы вводите в "
    "поля форм, Вебвизор не записывает.",
    "data_forms": "Данные, которые вы сами отправляете через формы сайта:",
    "form_item": "форма «{name}»: {fields}. Цель: {purpose}. Срок хранения: {term}, затем "
    "данные уничтожаются.",
    "consent": "Согласие",
    "consent_basis": "Персональные данные собираются и обрабатываются с согласия субъекта "
    "(статьи 7 и 8 Закона). Согласие на сервисы и файлы cookie даётся в баннере сайта: "
    "кнопкой «Принять все» или выбором категорий в настройках. Закрытие баннера, прокрутка "
    "или бездействие согласием не являются: до вашего выбора не запускается ни один сервис, "
    "кроме необходимых.",
    "consent_term": "Срок действия согласия — {term}; по его истечении баннер снова "
    "спрашивает согласие.",
    "consent_forms": "Согласие на обработку данных формы даётся отдельно, перед её отправкой, "
    "на условиях документа «Согласие на сбор и обработку персональных данных».",
    "withdraw": "Отзыв согласия",
    "withdraw_how": "Вы можете отозвать согласие в любой момент в настройках согласия на "
    "сайте: отключите категории или нажмите «Отклонить все». Сервисы отозванных категорий "
    "перестают работать, а их файлы cookie на сайте удаляются.",
    "withdraw_email": "Отозвать согласие можно также письмом на {email} с темой «{subject}».",
    "withdraw_limits": "Согласие не может быть отозвано, если это противоречит законам "
    "Республики Казахстан, либо при наличии неисполненного обязательства (пункт 2 статьи 8 "
    "Закона).",
    "third": "Третьи лица и трансграничная передача",
    "third_intro": "Сведения о посещениях получают поставщики сервисов сайта:",
    "third_headers": ["Сервис", "Поставщик", "Страна", "Категория"],
    "cross_border_consent": "Трансграничная передача персональных данных осуществляется в "
    "следующие государства: {countries}. Она происходит только после вашего согласия на "
    "категорию соответствующего сервиса (статья 16 Закона).",
    "cross_border_necessary": "Необходимые сервисы, работающие без согласия, передают данные "
    "в следующие государства: {countries}.",
    "cross_border_hosting": "Серверы сайта находятся за пределами Республики Казахстан "
    "({country}): данные форм и записи о согласии передаются туда.",
    "no_cross_border": "Сервисы сайта не передают персональные данные за пределы Республики "
    "Казахстан: трансграничная передача не осуществляется.",
    "no_third": "Сведения о посещениях не передаются третьим лицам.",
    "storage": "Хранение",
    "storage_kz": "Персональные данные хранятся в базе, находящейся на территории Республики "
    "Казахстан (пункт 2 статьи 12 Закона). Серверы: {where}.",
    "storage_abroad": "Серверы сайта находятся за пределами Республики Казахстан: {where}.",
    "storage_records": "Записи о согласии хранятся {term}, затем удаляются; остаются только "
    "ежедневные счётчики без идентификаторов.",
    "storage_forms": "Сроки хранения данных форм указаны в разделе «{section}».",
    "storage_cookies": "Сроки хранения файлов cookie указаны в декларации о файлах cookie.",
    "protection": "Защита персональных данных",
    "protection_intro": "Оператор принимает необходимые правовые, организационные и "
    "технические меры для защиты персональных данных от неправомерного доступа, изменения, "
    "распространения и уничтожения (статья 22 Закона), в том числе:",
    "protection_plain": "Оператор принимает необходимые правовые, организационные и "
    "технические меры для защиты персональных данных от неправомерного доступа, изменения, "
    "распространения и уничтожения (статья 22 Закона).",
    "rights": "Права субъекта",
    "rights_intro": "В соответствии со статьёй 24 Закона субъект вправе:",
    "rights_items": [
        "знать, есть ли у Оператора его персональные данные, и получать сведения об их сборе "
        "и обработке;",
        "требовать изменения и дополнения своих персональных данных при наличии оснований;",
        "требовать блокирования своих персональных данных;",
        "требовать уничтожения своих персональных данных, собранных и обработанных с "
        "нарушением законодательства Республики Казахстан;",
        "отозвать согласие на сбор и обработку персональных данных, кроме случаев, указанных "
        "в пункте 2 статьи 8 Закона;",
        "защищать свои права и законные интересы, в том числе в суде.",
    ],
    "requests": "Обращения субъектов",
    "requests_email": "Запросы о персональных данных и об отзыве согласия направляйте на "
    "{email} с темой письма «{subject}».",
    "requests_email_plain": "Запросы о персональных данных и об отзыве согласия направляйте "
    "на {email}.",
    "requests_post": "Письменные обращения принимаются по адресу: {address}.",
    "requests_phone": "Телефон: {phone}.",
    "requests_days": "Оператор отвечает на обращение в течение {days}.",
    "changes": "Изменение политики",
    "changes_text": "Оператор может изменять политику. Существенные изменения — целей "
    "обработки, перечня данных или категорий третьих лиц — требуют нового согласия, которое "
    "запрашивается в баннере сайта. Действующая редакция всегда доступна на сайте.",
    # Consent for forms
    "c_intro": "Отмечая поле согласия и отправляя форму на сайте {site}, я, субъект "
    "персональных данных, даю Оператору согласие на сбор и обработку моих персональных "
    "данных на условиях ниже, в соответствии со статьёй 8 Закона Республики Казахстан «О "
    "персональных данных и их защите».",
    "c_operator": "Оператор",
    "c_data": "Перечень данных, цели и сроки",
    "c_headers": ["Форма", "Собираемые данные", "Цель", "Срок хранения"],
    "c_no_forms": "На сайте нет форм, собирающих персональные данные.",
    "c_term": "Срок действия согласия",
    "c_term_text": "Согласие действует в течение срока хранения данных соответствующей "
    "формы, указанного выше, либо до его отзыва.",
    "c_third": "Передача третьим лицам",
    "c_recipients": "Данные формы «{name}» получают: {recipients}.",
    "c_no_recipients": "Данные форм «{names}» третьим лицам не передаются, кроме случаев, "
    "предусмотренных законодательством Республики Казахстан.",
    "c_no_recipients_one": "Данные формы «{names}» третьим лицам не передаются, кроме "
    "случаев, предусмотренных законодательством Республики Казахстан.",
    "c_hosting": "Данные хранятся на серверах {provider}.",
    "c_cross": "Трансграничная передача",
    "c_cross_none": "Трансграничная передача данных форм не осуществляется: они хранятся в "
    "базе на территории Республики Казахстан.",
    "c_cross_hosting": "Данные форм хранятся на серверах за пределами Республики Казахстан "
    "({country}): это трансграничная передача.",
    "c_public": "Данные форм не распространяются в общедоступных источниках.",
    "c_withdraw": "Отзыв согласия",
    "c_withdraw_email": "Согласие можно отозвать письмом на {email} с темой «{subject}».",
    "c_webvisor": "Запись сеансов (Вебвизор Яндекс Метрики) не записывает содержимое полей форм.",
    # Cookie declaration
    "k_intro": "Здесь перечислены файлы cookie и записи в хранилище браузера, которые "
    "использует сайт {site}, и сервисы, которые их устанавливают. Все сервисы, кроме "
    "необходимых, запускаются только после вашего согласия в баннере; выбор можно изменить "
    "в любой момент в настройках согласия.",
    "k_headers": ["Название", "Сервис (поставщик)", "Назначение", "Срок", "Страна"],
    "k_kelisim": "Хранит ваш выбор в баннере согласия и идентификатор согласия.",
    "k_shown": "Отмечает, что баннер уже показан в этом сеансе.",
    "k_unsent": "Отмечает решение, которое ещё не доставлено на сервер и будет отправлено "
    "один раз повторно.",
    "k_local": "Решение, ожидающее повторной отправки (хранилище браузера localStorage).",
    "k_session": "до закрытия браузера",
    "k_until_sent": "до отправки решения",
    "k_consent_tool": "Баннер согласия сайта",
    "k_none": "—",
    "k_found": "Найден на страницах сайта; заблокирован до согласия.",
    "k_change": "Как изменить выбор",
    "k_change_text": "Откройте настройки согласия на сайте, чтобы изменить или отозвать "
    "согласие: файлы cookie сервисов на домене сайта будут удалены. Файлы cookie, которые "
    "сервисы установили на собственных доменах, удаляются в настройках браузера.",
    "categories": {
        "necessary": "Необходимые",
        "analytics": "Аналитические",
        "marketing": "Маркетинговые",
        "functional": "Функциональные",
    },
    "category_texts": {
        "necessary": "Нужны для работы сайта и хранения вашего выбора; работают без согласия.",
        "analytics": "Статистика посещений: какие страницы открывают, как долго, откуда "
        "приходят посетители.",
        "marketing": "Оценка рекламы и показ рекламы на других сайтах.",
        "functional": "Встроенное содержимое и дополнительные функции: видео, карты, "
        "публикации, формы.",
    },
    "fields": {
        "name": "имя и фамилия",
        "phone": "номер телефона",
        "email": "адрес электронной почты",
        "message": "текст сообщения",
        "company": "название организации",
        "city": "город",
        "address": "адрес",
        "birth_date": "дата рождения",
        "child_name": "имя ребёнка",
    },
    "purposes": {
        "feedback": "ответ на обращение",
        "callback": "обратный звонок",
        "order": "оформление и исполнение заказа",
        "booking": "бронирование",
        "enrolment": "запись на обучение и заключение договора",
        "newsletter": "рассылка новостей и акций",
        "job": "рассмотрение резюме",
    },
    "measures": {
        "tls": "передача данных по зашифрованному соединению (HTTPS);",
        "access": "доступ к данным только у уполномоченных работников, обязанных сохранять их "
        "конфиденциальность;",
        "passwords": "вход в системы по личным паролям и двухфакторной аутентификации;",
        "backups": "регулярное резервное копирование;",
        "logging": "журналирование доступа к данным;",
        "updates": "своевременное обновление программного обеспечения и антивирусная защита;",
        "training": "обучение работников правилам обработки персональных данных;",
    },
    "countries": {
        "kz": "Республика Казахстан",
        "ru": "Россия",
        "de": "Германия",
        "nl": "Нидерланды",
        "fi": "Финляндия",
        "us": "США",
        "tr": "Турция",
        "ae": "ОАЭ",
        "sg": "Сингапур",
    },
    "unknown_country": "—",
}

KK: dict[str, Any] = {
    "policy_title": "Дербес деректерді өңдеу саясаты",
    "consent_title": "Дербес деректерді жинауға және өңдеуге келісім",
    "cookies_title": "Cookie файлдары туралы мәлімдеме",
    "law": "«Дербес деректер және оларды қорғау туралы» Қазақстан Республикасының 2013 жылғы "
    "21 мамырдағы № 94-V Заңына (бұдан әрі – Заң)",
    "general": "Жалпы ережелер",
    "general_intro": "Осы саясат {site} сайтында қандай дербес деректер жиналатынын, олардың "
    "не үшін жиналатынын, қанша уақыт сақталатынын және қалай қорғалатынын айқындайды. "
    "Саясат {law} сәйкес жасалды.",
    "operator_intro": "Дербес деректердің меншік иесі және операторы (бұдан әрі – Оператор):",
    "label_name": "Атауы",
    "label_bin": "БСН",
    "label_address": "Мекенжайы",
    "label_email": "Электрондық пошта",
    "label_phone": "Телефон",
    "terms": "Негізгі ұғымдар",
    "terms_items": [
        "дербес деректер – мәліметтер негізінде айқындалған немесе айқындалатын дербес "
        "деректер субъектісіне қатысты, электрондық, қағаз және (немесе) өзге де материалдық "
        "жеткізгіште тіркелген сол мәліметтер;",
        "дербес деректер субъектісі (субъект) – дербес деректер тиесілі жеке тұлға, оның "
        "ішінде сайтқа кіруші;",
        "дербес деректерді жинау – дербес деректерді алуға бағытталған әрекеттер;",
        "дербес деректерді өңдеу – дербес деректерді жинақтауға, сақтауға, өзгертуге, "
        "толықтыруға, пайдалануға, таратуға, иесіздендіруге, бұғаттауға және жоюға "
        "бағытталған әрекеттер;",
        "дербес деректерді трансшекаралық беру – дербес деректерді шет мемлекеттердің "
        "аумағына беру;",
        "cookie файлдары – сайт немесе бөгде сервис кірушінің браузерінде сақтайтын шағын файлдар.",
    ],
    "data": "Қандай деректер жиналады және не үшін",
    "data_record": "Келісім баннеріндегі таңдауыңыздың жазбасы: күні мен уақыты, тілі, сіз "
    "келісім берген санаттар мен сервистер, саясаттың нұсқасы, құрылғы түрі (компьютер, "
    "телефон немесе планшет) және келісімнің кездейсоқ сәйкестендіргішінің қайтарылмайтын "
    "коды. IP мекенжайы, браузер туралы мәліметтер және сайтта енгізген мәтіндеріңіз бұл "
    "жазбаға кірмейді. Мақсаты – келісімнің алынғанын растау (Заңның 8-бабы).",
    "data_services": "Мына сервистер сайтта тек олардың санатына келісім бергеннен кейін ғана "
    "іске қосылады және кіру туралы мәліметтерді (cookie файлдары мен браузер сұраулары "
    "арқылы) алады:",
    "data_necessary": "Келісімсіз тек сайттың жұмысына қажетті сервистер ғана жұмыс істейді:",
    "service_item": "{name} ({provider}, {country}) – {purpose}",
    "no_services": "Сайт аналитиканың, жарнаманың немесе кірістірілген мазмұнның бөгде "
    "сервистерін пайдаланбайды.",
    "webvisor": "Яндекс Метрикасының Вебвизоры сайттың ыңғайлылығын бағалау үшін беттердегі "
    "әрекеттерді (басуларды, айналдыруды, тінтуір қозғалысын) жазып алады. Бұл – баннер "
    "баптауларындағы жеке таңдау: жазу сіз рұқсат берсеңіз ғана жүргізіледі. Форма "
    "өрістеріне енгізген мәтініңізді Вебвизор жазбайды.",
    "data_forms": "Сайттағы формалар арқылы өзіңіз жіберетін деректер:",
    "form_item": "«{name}» формасы: {fields}. Мақсаты: {purpose}. Сақтау мерзімі: {term}, "
    "одан кейін деректер жойылады.",
    "consent": "Келісім",
    "consent_basis": "Дербес деректер субъектінің келісімімен жиналады және өңделеді "
    "(Заңның 7 және 8-баптары). Сервистерге және cookie файлдарына келісім сайттың "
    "баннерінде беріледі: «Барлығын қабылдау» батырмасымен немесе баптаулардан санаттарды "
    "таңдау арқылы. Баннерді жабу, бетті айналдыру немесе әрекетсіздік келісім болып "
    "саналмайды: сіз таңдау жасағанға дейін қажетті сервистерден басқа ешбір сервис іске "
    "қосылмайды.",
    "consent_term": "Келісімнің қолданылу мерзімі – {term}; ол өткен соң баннер келісімді "
    "қайта сұрайды.",
    "consent_forms": "Форма деректерін өңдеуге келісім оны жіберер алдында «Дербес деректерді "
    "жинауға және өңдеуге келісім» құжатының шарттарымен бөлек беріледі.",
    "withdraw": "Келісімді кері қайтарып алу",
    "withdraw_how": "Келісімді кез келген уақытта сайттағы келісім баптауларында кері "
    "қайтарып алуға болады: санаттарды өшіріңіз немесе «Барлығынан бас тарту» батырмасын "
    "басыңыз. Кері қайтарылған санаттардың сервистері тоқтатылады, ал олардың сайттағы "
    "cookie файлдары жойылады.",
    "withdraw_email": "Келісімді {email} мекенжайына «{subject}» тақырыбымен хат жіберу арқылы "
    "да кері қайтарып алуға болады.",
    "withdraw_limits": "Егер бұл Қазақстан Республикасының заңдарына қайшы келсе не "
    "орындалмаған міндеттеме болса, келісімді кері қайтарып алуға болмайды (Заңның 8-бабының "
    "2-тармағы).",
    "third": "Үшінші тұлғалар және трансшекаралық беру",
    "third_intro": "Кіру туралы мәліметтерді сайт сервистерін жеткізушілер алады:",
    "third_headers": ["Сервис", "Жеткізуші", "Ел", "Санат"],
    "cross_border_consent": "Дербес деректерді трансшекаралық беру мына мемлекеттерге "
    "жүзеге асырылады: {countries}. Ол тиісті сервистің санатына келісім бергеннен кейін "
    "ғана жүргізіледі (Заңның 16-бабы).",
    "cross_border_necessary": "Келісімсіз жұмыс істейтін қажетті сервистер деректерді мына "
    "мемлекеттерге береді: {countries}.",
    "cross_border_hosting": "Сайттың серверлері Қазақстан Республикасынан тыс жерде орналасқан "
    "({country}): форма деректері мен келісім жазбалары сонда беріледі.",
    "no_cross_border": "Сайт сервистері дербес деректерді Қазақстан Республикасынан тыс "
    "жерге бермейді: трансшекаралық беру жүзеге асырылмайды.",
    "no_third": "Кіру туралы мәліметтер үшінші тұлғаларға берілмейді.",
    "storage": "Сақтау",
    "storage_kz": "Дербес деректер Қазақстан Республикасының аумағында орналасқан базада "
    "сақталады (Заңның 12-бабының 2-тармағы). Серверлер: {where}.",
    "storage_abroad": "Сайттың серверлері Қазақстан Республикасынан тыс жерде орналасқан: {where}.",
    "storage_records": "Келісім жазбаларының сақталу мерзімі – {term}, содан кейін олар "
    "жойылады; тек сәйкестендіргіштері жоқ күнделікті есептегіштер қалады.",
    "storage_forms": "Форма деректерін сақтау мерзімдері «{section}» бөлімінде көрсетілген.",
    "storage_cookies": "Cookie файлдарының сақталу мерзімдері cookie файлдары туралы "
    "мәлімдемеде көрсетілген.",
    "protection": "Дербес деректерді қорғау",
    "protection_intro": "Оператор дербес деректерді заңсыз қол жеткізуден, өзгертуден, "
    "таратудан және жоюдан қорғау үшін қажетті құқықтық, ұйымдастырушылық және техникалық "
    "шараларды қолданады (Заңның 22-бабы), оның ішінде:",
    "protection_plain": "Оператор дербес деректерді заңсыз қол жеткізуден, өзгертуден, "
    "таратудан және жоюдан қорғау үшін қажетті құқықтық, ұйымдастырушылық және техникалық "
    "шараларды қолданады (Заңның 22-бабы).",
    "rights": "Субъектінің құқықтары",
    "rights_intro": "Заңның 24-бабына сәйкес субъект:",
    "rights_items": [
        "Операторда өзінің дербес деректерінің бар-жоғын білуге және оларды жинау мен өңдеу "
        "туралы мәліметтер алуға;",
        "негіздер болған кезде өзінің дербес деректерін өзгертуді және толықтыруды талап етуге;",
        "өзінің дербес деректерін бұғаттауды талап етуге;",
        "Қазақстан Республикасының заңнамасын бұза отырып жиналған және өңделген дербес "
        "деректерін жоюды талап етуге;",
        "Заңның 8-бабының 2-тармағында көрсетілген жағдайлардан басқа кезде дербес деректерді "
        "жинауға және өңдеуге берген келісімін кері қайтарып алуға;",
        "өз құқықтары мен заңды мүдделерін, оның ішінде сот тәртібімен қорғауға құқылы.",
    ],
    "requests": "Субъектілердің өтініштері",
    "requests_email": "Дербес деректер туралы сұрауларды және келісімді кері қайтарып алу "
    "туралы өтініштерді {email} мекенжайына «{subject}» тақырыбымен жіберіңіз.",
    "requests_email_plain": "Дербес деректер туралы сұрауларды және келісімді кері қайтарып "
    "алу туралы өтініштерді {email} мекенжайына жіберіңіз.",
    "requests_post": "Жазбаша өтініштер мына мекенжай бойынша қабылданады: {address}.",
    "requests_phone": "Телефон: {phone}.",
    "requests_days": "Оператор өтінішке {days} ішінде жауап береді.",
    "changes": "Саясатты өзгерту",
    "changes_text": "Оператор саясатты өзгерте алады. Елеулі өзгерістер – өңдеу "
    "мақсаттарының, деректер тізбесінің немесе үшінші тұлғалар санаттарының өзгеруі – жаңа "
    "келісімді талап етеді, ол сайттың баннерінде сұралады. Қолданыстағы редакция әрдайым "
    "сайтта қолжетімді.",
    "c_intro": "{site} сайтындағы келісім өрісін белгілеп, форманы жіберу арқылы мен, дербес "
    "деректер субъектісі, «Дербес деректер және оларды қорғау туралы» Қазақстан "
    "Республикасы Заңының 8-бабына сәйкес Операторға төмендегі шарттармен дербес "
    "деректерімді жинауға және өңдеуге келісім беремін.",
    "c_operator": "Оператор",
    "c_data": "Деректер тізбесі, мақсаттары және мерзімдері",
    "c_headers": ["Форма", "Жиналатын деректер", "Мақсаты", "Сақтау мерзімі"],
    "c_no_forms": "Сайтта дербес деректер жинайтын формалар жоқ.",
    "c_term": "Келісімнің қолданылу мерзімі",
    "c_term_text": "Келісім жоғарыда көрсетілген тиісті форма деректерінің сақталу мерзімі "
    "ішінде немесе кері қайтарып алынғанға дейін қолданылады.",
    "c_third": "Үшінші тұлғаларға беру",
    "c_recipients": "«{name}» формасының деректерін алатындар: {recipients}.",
    "c_no_recipients": "«{names}» формаларының деректері Қазақстан Республикасының "
    "заңнамасында көзделген жағдайлардан басқа кезде үшінші тұлғаларға берілмейді.",
    "c_no_recipients_one": "«{names}» формасының деректері Қазақстан Республикасының "
    "заңнамасында көзделген жағдайлардан басқа кезде үшінші тұлғаларға берілмейді.",
    "c_hosting": "Деректер {provider} серверлерінде сақталады.",
    "c_cross": "Трансшекаралық беру",
    "c_cross_none": "Форма деректерін трансшекаралық беру жүзеге асырылмайды: олар Қазақстан "
    "Республикасының аумағындағы базада сақталады.",
    "c_cross_hosting": "Форма деректері Қазақстан Республикасынан тыс жердегі серверлерде "
    "сақталады ({country}): бұл – трансшекаралық беру.",
    "c_public": "Форма деректері жалпыға қолжетімді дереккөздерде таратылмайды.",
    "c_withdraw": "Келісімді кері қайтарып алу",
    "c_withdraw_email": "Келісімді {email} мекенжайына «{subject}» тақырыбымен хат жіберу "
    "арқылы кері қайтарып алуға болады.",
    "c_webvisor": "Сеанстарды жазу (Яндекс Метрикасының Вебвизоры) форма өрістерінің мазмұнын "
    "жазбайды.",
    "k_intro": "Мұнда {site} сайты пайдаланатын cookie файлдары мен браузер қоймасындағы "
    "жазбалар және оларды орнататын сервистер көрсетілген. Қажетті сервистерден басқасының "
    "бәрі баннерде келісім бергеннен кейін ғана іске қосылады; таңдауды келісім "
    "баптауларында кез келген уақытта өзгертуге болады.",
    "k_headers": ["Атауы", "Сервис (жеткізуші)", "Мақсаты", "Мерзімі", "Ел"],
    "k_kelisim": "Келісім баннеріндегі таңдауыңызды және келісім сәйкестендіргішін сақтайды.",
    "k_shown": "Баннердің осы сеанста көрсетілгенін белгілейді.",
    "k_unsent": "Серверге әлі жетпеген және бір рет қайта жіберілетін шешімді белгілейді.",
    "k_local": "Қайта жіберуді күтіп тұрған шешім (браузердің localStorage қоймасы).",
    "k_session": "браузер жабылғанға дейін",
    "k_until_sent": "шешім жіберілгенге дейін",
    "k_consent_tool": "Сайттың келісім баннері",
    "k_none": "—",
    "k_found": "Сайт беттерінен табылған; келісім берілгенге дейін бұғатталған.",
    "k_change": "Таңдауды қалай өзгертуге болады",
    "k_change_text": "Келісімді өзгерту немесе кері қайтарып алу үшін сайттағы келісім "
    "баптауларын ашыңыз: сервистердің сайт доменіндегі cookie файлдары жойылады. Сервистер "
    "өз домендерінде орнатқан cookie файлдары браузер баптауларында жойылады.",
    "categories": {
        "necessary": "Қажетті",
        "analytics": "Аналитикалық",
        "marketing": "Маркетингтік",
        "functional": "Функционалдық",
    },
    "category_texts": {
        "necessary": "Сайттың жұмысы мен таңдауыңызды сақтау үшін қажет; келісімсіз жұмыс істейді.",
        "analytics": "Кіру статистикасы: қандай беттер ашылады, қанша уақыт, кірушілер қайдан "
        "келеді.",
        "marketing": "Жарнаманы бағалау және басқа сайттарда жарнама көрсету.",
        "functional": "Кірістірілген мазмұн және қосымша мүмкіндіктер: бейне, карталар, "
        "жазбалар, формалар.",
    },
    "fields": {
        "name": "аты-жөні",
        "phone": "телефон нөмірі",
        "email": "электрондық пошта мекенжайы",
        "message": "хабарлама мәтіні",
        "company": "ұйымның атауы",
        "city": "қала",
        "address": "мекенжай",
        "birth_date": "туған күні",
        "child_name": "баланың аты-жөні",
    },
    "purposes": {
        "feedback": "өтінішке жауап беру",
        "callback": "кері қоңырау шалу",
        "order": "тапсырысты ресімдеу және орындау",
        "booking": "брондау",
        "enrolment": "оқуға жазу және шарт жасасу",
        "newsletter": "жаңалықтар мен акциялар туралы хабарлама жіберу",
        "job": "түйіндемені қарау",
    },
    "measures": {
        "tls": "деректерді шифрланған байланыс арқылы (HTTPS) беру;",
        "access": "деректерге тек олардың құпиялылығын сақтауға міндетті уәкілетті "
        "қызметкерлердің қол жеткізуі;",
        "passwords": "жүйелерге жеке құпиясөздермен және екі факторлы аутентификациямен кіру;",
        "backups": "тұрақты сақтық көшірме жасау;",
        "logging": "деректерге қол жеткізуді журналға тіркеу;",
        "updates": "бағдарламалық жасақтаманы уақтылы жаңарту және вирустардан қорғау;",
        "training": "қызметкерлерді дербес деректерді өңдеу қағидаларына оқыту;",
    },
    "countries": {
        "kz": "Қазақстан Республикасы",
        "ru": "Ресей",
        "de": "Германия",
        "nl": "Нидерланд",
        "fi": "Финляндия",
        "us": "АҚШ",
        "tr": "Түркия",
        "ae": "БАӘ",
        "sg": "Сингапур",
    },
    "unknown_country": "—",
}

EN: dict[str, Any] = {
    "policy_title": "Personal data processing policy",
    "consent_title": "Consent to the collection and processing of personal data",
    "cookies_title": "Cookie declaration",
    "law": "the Law of the Republic of Kazakhstan of 21 May 2013 No. 94-V “On personal data "
    "and their protection” (the Law)",
    "general": "General provisions",
    "general_intro": "This policy sets out which personal data the site {site} collects, why, "
    "how long they are kept and how they are protected. It follows {law}.",
    "operator_intro": "The owner and operator of the personal data (the Operator):",
    "label_name": "Name",
    "label_bin": "BIN",
    "label_address": "Address",
    "label_email": "E-mail",
    "label_phone": "Phone",
    "terms": "Key terms",
    "terms_items": [
        "personal data: information relating to a subject of personal data who is identified "
        "or identifiable by it, recorded on an electronic, paper or other tangible medium;",
        "subject of personal data (subject): the natural person the personal data relate to, "
        "including a visitor of the site;",
        "collection of personal data: actions aimed at obtaining personal data;",
        "processing of personal data: actions aimed at accumulating, storing, changing, "
        "supplementing, using, distributing, depersonalising, blocking and destroying "
        "personal data;",
        "cross-border transfer of personal data: transfer of personal data to the territory "
        "of foreign states;",
        "cookies: small files that the site or a third-party service stores in the visitor's "
        "browser.",
    ],
    "data": "What data are collected and why",
    "data_record": "A record of your choice in the consent banner: date and time, language, "
    "the categories and services you agreed to, the policy version, the device type "
    "(computer, phone or tablet) and a one-way code of a random consent identifier. Your IP "
    "address, browser details and anything you type on the site are not part of it. "
    "Purpose: to confirm that consent was obtained (Article 8 of the Law).",
    "data_services": "The following services run on the site only after you agree to their "
    "category, and receive information about your visit (through cookies and browser "
    "requests):",
    "data_necessary": "Without consent, only the necessary services run, without which the "
    "site does not work:",
    "service_item": "{name} ({provider}, {country}): {purpose}",
    "no_services": "The site uses no third-party analytics, advertising or embedded content "
    "services.",
    "webvisor": "Yandex.Metrica's Webvisor records actions on the site's pages (clicks, "
    "scrolling, mouse movements) to assess how easy the site is to use. It is a separate "
    "choice in the banner's settings: recording happens only if you allowed it. Webvisor "
    "never records what you type into form fields.",
    "data_forms": "Data you send yourself through the site's forms:",
    "form_item": "the “{name}” form: {fields}. Purpose: {purpose}. Kept for {term}, then "
    "destroyed.",
    "consent": "Consent",
    "consent_basis": "Personal data are collected and processed with the subject's consent "
    "(Articles 7 and 8 of the Law). Consent to services and cookies is given in the site's "
    "banner: with “Accept all” or by choosing categories in the settings. Closing the "
    "banner, scrolling or doing nothing is not consent: until you choose, no service runs "
    "except the necessary ones.",
    "consent_term": "Consent is valid for {term}; after that the banner asks again.",
    "consent_forms": "Consent to the processing of a form's data is given separately, before "
    "the form is sent, on the terms of the document “Consent to the collection and "
    "processing of personal data”.",
    "withdraw": "Withdrawing consent",
    "withdraw_how": "You may withdraw consent at any time in the site's consent settings: "
    "switch categories off or choose “Reject all”. The services of withdrawn categories stop, "
    "and their cookies on the site are deleted.",
    "withdraw_email": "You may also withdraw consent by writing to {email} with the subject "
    "“{subject}”.",
    "withdraw_limits": "Consent cannot be withdrawn where this contradicts the laws of the "
    "Republic of Kazakhstan or while an obligation is unfulfilled (Article 8(2) of the Law).",
    "third": "Third parties and cross-border transfer",
    "third_intro": "Information about visits is received by the providers of the site's services:",
    "third_headers": ["Service", "Provider", "Country", "Category"],
    "cross_border_consent": "Personal data are transferred across the border to these "
    "states: {countries}. This happens only after you agree to the category of the service "
    "concerned (Article 16 of the Law).",
    "cross_border_necessary": "Necessary services, which run without consent, transfer data "
    "to these states: {countries}.",
    "cross_border_hosting": "The site's servers are outside the Republic of Kazakhstan "
    "({country}): form data and consent records are transferred there.",
    "no_cross_border": "The site's services transfer no personal data outside the Republic of "
    "Kazakhstan: there is no cross-border transfer.",
    "no_third": "Information about visits is not passed to third parties.",
    "storage": "Storage",
    "storage_kz": "Personal data are stored in a database located in the territory of the "
    "Republic of Kazakhstan (Article 12(2) of the Law). Servers: {where}.",
    "storage_abroad": "The site's servers are outside the Republic of Kazakhstan: {where}.",
    "storage_records": "Consent records are kept for {term}, then deleted; only daily counts "
    "without identifiers remain.",
    "storage_forms": "How long form data are kept is stated in “{section}”.",
    "storage_cookies": "How long cookies are kept is stated in the cookie declaration.",
    "protection": "Protection of personal data",
    "protection_intro": "The Operator takes the necessary legal, organisational and technical "
    "measures to protect personal data against unlawful access, alteration, distribution "
    "and destruction (Article 22 of the Law), including:",
    "protection_plain": "The Operator takes the necessary legal, organisational and technical "
    "measures to protect personal data against unlawful access, alteration, distribution "
    "and destruction (Article 22 of the Law).",
    "rights": "The subject's rights",
    "rights_intro": "Under Article 24 of the Law the subject has the right:",
    "rights_items": [
        "to know whether the Operator holds their personal data and to receive information "
        "about their collection and processing;",
        "to demand that their personal data be changed or supplemented where there are grounds;",
        "to demand that their personal data be blocked;",
        "to demand the destruction of their personal data collected and processed in breach "
        "of the law of the Republic of Kazakhstan;",
        "to withdraw consent to the collection and processing of personal data, except in the "
        "cases of Article 8(2) of the Law;",
        "to defend their rights and legitimate interests, including in court.",
    ],
    "requests": "Requests from subjects",
    "requests_email": "Send requests about personal data and withdrawals of consent to "
    "{email} with the subject “{subject}”.",
    "requests_email_plain": "Send requests about personal data and withdrawals of consent to "
    "{email}.",
    "requests_post": "Written requests are accepted at: {address}.",
    "requests_phone": "Phone: {phone}.",
    "requests_days": "The Operator answers a request within {days}.",
    "changes": "Changes to this policy",
    "changes_text": "The Operator may change this policy. Significant changes (of the "
    "purposes of processing, the list of data or the categories of third parties) require "
    "new consent, which is asked for in the site's banner. The current version is always "
    "available on the site.",
    "c_intro": "By ticking the consent box and sending a form on the site {site}, I, the "
    "subject of personal data, consent to the Operator collecting and processing my personal "
    "data on the terms below, under Article 8 of the Law of the Republic of Kazakhstan “On "
    "personal data and their protection”.",
    "c_operator": "Operator",
    "c_data": "Data collected, purposes and terms",
    "c_headers": ["Form", "Data collected", "Purpose", "Kept for"],
    "c_no_forms": "The site has no forms that collect personal data.",
    "c_term": "Term of consent",
    "c_term_text": "Consent is valid for the storage term of the form's data stated above, or "
    "until it is withdrawn.",
    "c_third": "Transfer to third parties",
    "c_recipients": "The data of the “{name}” form are received by: {recipients}.",
    "c_no_recipients": "The data of the forms “{names}” are not passed to third parties, "
    "except where the law of the Republic of Kazakhstan requires it.",
    "c_no_recipients_one": "The data of the “{names}” form are not passed to third parties, "
    "except where the law of the Republic of Kazakhstan requires it.",
    "c_hosting": "The data are stored on the servers of {provider}.",
    "c_cross": "Cross-border transfer",
    "c_cross_none": "Form data are not transferred across the border: they are stored in a "
    "database in the territory of the Republic of Kazakhstan.",
    "c_cross_hosting": "Form data are stored on servers outside the Republic of Kazakhstan "
    "({country}): this is a cross-border transfer.",
    "c_public": "Form data are not disseminated in publicly available sources.",
    "c_withdraw": "Withdrawing consent",
    "c_withdraw_email": "Consent can be withdrawn by writing to {email} with the subject "
    "“{subject}”.",
    "c_webvisor": "Session recording (Yandex.Metrica's Webvisor) does not record what is typed "
    "into form fields.",
    "k_intro": "This lists the cookies and browser storage entries the site {site} uses and "
    "the services that set them. All services except the necessary ones run only after you "
    "agree in the banner; you can change your choice at any time in the consent settings.",
    "k_headers": ["Name", "Service (provider)", "Purpose", "Lifetime", "Country"],
    "k_kelisim": "Keeps your choice in the consent banner and the consent identifier.",
    "k_shown": "Notes that the banner was already shown in this session.",
    "k_unsent": "Marks a decision that has not reached the server yet and will be sent once more.",
    "k_local": "A decision waiting to be sent again (the browser's localStorage).",
    "k_session": "until the browser is closed",
    "k_until_sent": "until the decision is sent",
    "k_consent_tool": "The site's consent banner",
    "k_none": "—",
    "k_found": "Found on the site's pages; held until consent.",
    "k_change": "How to change your choice",
    "k_change_text": "Open the consent settings on the site to change or withdraw consent: "
    "the services' cookies on the site's domain are deleted. Cookies that services set on "
    "their own domains are deleted in your browser's settings.",
    "categories": {
        "necessary": "Necessary",
        "analytics": "Analytics",
        "marketing": "Marketing",
        "functional": "Functional",
    },
    "category_texts": {
        "necessary": "Needed for the site to work and to keep your choice; they run without "
        "consent.",
        "analytics": "Visit statistics: which pages are opened, for how long, where visitors "
        "come from.",
        "marketing": "Measuring ads and showing ads on other sites.",
        "functional": "Embedded content and extra features: videos, maps, posts, forms.",
    },
    "fields": {
        "name": "name",
        "phone": "phone number",
        "email": "e-mail address",
        "message": "message text",
        "company": "company name",
        "city": "city",
        "address": "address",
        "birth_date": "date of birth",
        "child_name": "child's name",
    },
    "purposes": {
        "feedback": "answering the inquiry",
        "callback": "calling back",
        "order": "placing and fulfilling an order",
        "booking": "booking",
        "enrolment": "enrolment and the contract",
        "newsletter": "sending news and promotions",
        "job": "considering a job application",
    },
    "measures": {
        "tls": "data sent over encrypted connections (HTTPS);",
        "access": "access to the data only for authorised staff bound to keep them confidential;",
        "passwords": "sign-in to systems with personal passwords and two-factor authentication;",
        "backups": "regular backups;",
        "logging": "logging of access to the data;",
        "updates": "timely software updates and anti-virus protection;",
        "training": "training staff in the rules of personal data processing;",
    },
    "countries": {
        "kz": "Republic of Kazakhstan",
        "ru": "Russia",
        "de": "Germany",
        "nl": "Netherlands",
        "fi": "Finland",
        "us": "USA",
        "tr": "Turkey",
        "ae": "UAE",
        "sg": "Singapore",
    },
    "unknown_country": "—",
}

TEXTS: dict[str, dict[str, Any]] = {"kk": KK, "ru": RU, "en": EN}


# How a number of each unit is written: Russian's three forms (1, 2-4, 5+), Kazakh's one,
# English's singular and plural.
UNITS = {
    "year": {"ru": ("год", "года", "лет"), "kk": ("жыл",), "en": ("year", "years")},
    "month": {"ru": ("месяц", "месяца", "месяцев"), "kk": ("ай",), "en": ("month", "months")},
    "day": {"ru": ("день", "дня", "дней"), "kk": ("күн",), "en": ("day", "days")},
    # After "в течение" / "ішінде" / "within": Russian's genitive (1 рабочего дня).
    "working_day": {
        "ru": ("рабочего дня", "рабочих дней", "рабочих дней"),
        "kk": ("жұмыс күні",),
        "en": ("working day", "working days"),
    },
}


def count_text(number: int, unit: str, language: str) -> str:
    """A number of a unit in a language: "3 года", "3 жыл", "3 years"."""
    forms = UNITS[unit][language]
    if language == "ru":
        if number % 10 == 1 and number % 100 != 11:
            form = forms[0]
        elif 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
            form = forms[1]
        else:
            form = forms[2]
    else:
        form = forms[0] if number == 1 or len(forms) == 1 else forms[1]
    return f"{number} {form}"


def months_text(months: int, language: str) -> str:
    """A term in months, as whole years where it is some ("3 года", "3 жыл", "3 years")."""
    if months % 12 == 0:
        return count_text(months // 12, "year", language)
    return count_text(months, "month", language)


def days_text(days: int, language: str) -> str:
    """A term in days ("182 дня", "182 күн", "182 days")."""
    return count_text(days, "day", language)


def working_days_text(days: int, language: str) -> str:
    """An answer's term after "в течение" / "ішінде" / "within"."""
    return count_text(days, "working_day", language)
