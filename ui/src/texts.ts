import { percent } from './format.js';

/** Every word the web app shows, in one place (German; a second language gets a second table). */
export const de = {
  appName: 'Lotse',
  skipLink: 'Zum Inhalt springen',
  nav: {
    tasks: 'Aufgaben',
    tasksWaiting: (n: number) => `Aufgaben (${n})`,
    enquiries: 'Anfragen',
    leads: 'Leads',
    votes: 'Abstimmungen',
    figures: 'Kennzahlen',
    sites: 'Flächen',
    label: 'Hauptnavigation',
  },
  signIn: 'Anmelden',
  signOut: 'Abmelden',
  signingIn: 'Anmeldung läuft …',
  signedOut: {
    title: 'Sie sind abgemeldet',
    text: 'Ihre Sitzung bei Lotse ist beendet. Was Sie hier angefangen und nicht abgeschickt haben, ist verworfen.',
    again: 'Wieder anmelden',
  },
  signedInAs: (name: string) => `Angemeldet als ${name}`,
  sessionExpired: 'Ihre Sitzung ist abgelaufen. Sie werden zur Anmeldung weitergeleitet.',
  loading: 'Wird geladen …',
  /** How a day is typed: a text field, as the browser's date field shows its own language's order. */
  dayFormat: 'TT.MM.JJJJ',
  dayWrong: 'Bitte als Tag angeben, TT.MM.JJJJ, z. B. 01.03.2026.',
  /** How current a list or the figures are: every step taken up to this moment is in them. */
  asOf: {
    label: 'Stand',
    pending: 'Die Angaben werden gerade zusammengestellt und sind noch unvollständig.',
  },
  /** The title of a KERN alert, by its kind: what the message is, in words as well as colour. */
  alertTitles: { info: 'Hinweis', success: 'Erledigt', warning: 'Achtung', danger: 'Fehler' },
  error: (detail: string) => `Das hat nicht geklappt: ${detail} Bitte versuchen Sie es erneut.`,
  tasks: {
    title: 'Aufgaben',
    intro: 'Was auf Sie wartet, Überfälliges zuerst.',
    empty: 'Zurzeit wartet nichts auf Sie. Neue Weiterleitungen, Leads und Abstimmungen erscheinen hier.',
    count: (n: number) => (n === 1 ? '1 Aufgabe' : `${n} Aufgaben`),
    updated: (n: number) => `Aufgaben aktualisiert: ${n === 1 ? '1 Aufgabe wartet' : `${n} Aufgaben warten`}.`,
    /** Not all are loaded yet: "200 von 340 Aufgaben angezeigt." */
    shownOf: (shown: string, total: string) => `${shown} von ${total} Aufgaben angezeigt.`,
    /** …and a filter is set: it looks only at those loaded. */
    filteredOf: (loaded: string, total: string) =>
      `Die Filter gelten für die ersten ${loaded} von ${total} Aufgaben; „Weitere laden“ nimmt die nächsten hinzu.`,
    allLoaded: (total: string) => `Alle ${total} Aufgaben sind geladen.`,
    more: 'Weitere laden',
    loadingMore: 'Weitere werden geladen …',
    filters: { kind: 'Art', whom: 'Agentur oder Amt', assignee: 'Bearbeitung' },
    assignees: { mine: 'meine', nobody: 'noch nicht übernommen' },
    noneFiltered: 'Keine Aufgabe passt zu diesen Filtern.',
    columns: { task: 'Aufgabe', enquiry: 'Anfrage', status: 'Stand', deadline: 'Frist', assignee: 'Bearbeitung' },
    kinds: {
      forwarding_decision: 'Über Weiterleitung entscheiden',
      forwarding_decision_overdue: 'Weiterleitung überfällig – Entscheidung der Geschäftsführung',
      lead_answer: 'Lead annehmen oder ablehnen',
      joint_vote: 'Über gemeinsame Bearbeitung abstimmen',
    } as Record<string, string>,
  },
  enquiry: {
    title: (name: string) => `Anfrage ${name}`,
    projectAndFirm: (project: string, firm: string) => `${project} (${firm})`,
    back: 'Zurück zu den Aufgaben',
    backTo: {
      '/anfragen': 'Zurück zu den Anfragen',
      '/leads': 'Zurück zu den Leads',
      '/abstimmungen': 'Zurück zu den Abstimmungen',
    } as Record<string, string>,
    atPartner: (partner: string) => `Beim Partner: ${partner}`,
    listsFollow: 'In den Listen und Aufgaben erscheint der neue Stand in wenigen Augenblicken.',
    /** Who took a step of the Verlauf, in its brackets. */
    actors: { system: 'Lotse' },
    print: 'Drucken',
    printedAt: (when: string) => `Ausdruck vom ${when}`,
    /** A site that did not fit and has been withdrawn from the registry since. */
    withdrawnSite: 'eine inzwischen zurückgezogene Fläche',
    deadlineKinds: {
      forwarding_decision: 'Entscheidung über die Weiterleitung',
      forwarding_decision_overdue: 'Entscheidung über die Weiterleitung (überfällig, auch Geschäftsführung)',
      lead_answer: 'Antwort des Partners',
      joint_vote: 'Abstimmung der Ämter',
    } as Record<string, string>,
    deadlineOf: (what: string, whom: string) => `${what} (${whom})`,
    partnerSites: 'Passende Flächen der Partner',
    overview: 'Überblick',
    requirements: 'Anforderungen',
    sites: 'Standorte',
    forwarding: 'Weiterleitung',
    joint: 'Gemeinsame Bearbeitung',
    timeline: 'Verlauf',
    fields: {
      status: 'Stand',
      kind: 'Art',
      receivedBy: 'Eingegangen bei',
      responsible: 'zuständig',
      handling: 'bearbeitet von',
      deadlines: 'Fristen',
      company: 'Unternehmen',
      jobs: 'Arbeitsplätze',
      investment: 'Investition',
      area: 'Fläche',
      zoning: 'Gebietsart',
      rail: 'Gleisanschluss',
      locations: 'Wunschorte',
      confidential: 'Vertraulich',
      consent: 'Einwilligung zur Weitergabe',
      contact: 'Ansprechperson',
    },
    yes: 'ja',
    no: 'nein',
    none: 'keine',
    proposed: 'Vorgeschlagen',
    notFitting: 'Passen nicht',
    // The score is 0–100 already (domain/matching.ts).
    score: (s: number) => `Eignung ${percent(s)}`,
    candidates: 'Mögliche Partner',
    noCandidates: 'Kein Partner hat eine passende Fläche.',
    decision: (d: string, by: string) => `${d === 'approve' ? 'Freigegeben' : 'Abgelehnt'} von ${by}`,
    offers: 'Angebote an Partner',
    notRequested: 'Nicht beantragt.',
    votes: 'Stimmen',
    timelineEmpty: 'Noch keine Schritte.',
  },
  assignment: {
    title: 'Bearbeitung',
    nobody: 'Noch niemand hat die Aufgabe übernommen.',
    me: (since: string) => `Sie bearbeiten diese Anfrage (seit ${since}).`,
    someone: (name: string, since: string) => `${name} bearbeitet diese Anfrage (seit ${since}).`,
    unknownPerson: 'Eine Kollegin oder ein Kollege',
    take: 'Ich übernehme das',
    takeFrom: (name: string) => `Selbst übernehmen (statt ${name})`,
    choose: 'Bitte wählen',
    handBack: 'Zurückgeben',
    giveTo: 'An Kollegin oder Kollegen abgeben',
    give: 'Abgeben',
    chooseColleague: 'Bitte wählen Sie eine Kollegin oder einen Kollegen.',
    peopleFailed: 'Die Kolleginnen und Kollegen können gerade nicht geladen werden. Bitte laden Sie die Seite neu.',
    noColleagues:
      'Lotse kennt noch keine Kollegin und keinen Kollegen Ihrer Agentur: sie erscheinen nach ihrer ersten Anmeldung.',
    said: {
      taken: 'Sie haben die Aufgabe übernommen.',
      handedBack: 'Sie haben die Aufgabe zurückgegeben: niemand bearbeitet sie jetzt.',
      given: (name: string) => `Die Aufgabe ist an ${name} abgegeben.`,
    },
  },
  actions: {
    title: 'Was Sie jetzt tun können',
    none: 'Zurzeit ist hier nichts von Ihnen zu tun.',
    note: 'Notiz (optional)',
    running: 'Wird ausgeführt …',
    done: 'Erledigt.',
    partners: 'Partner, in dieser Reihenfolge anfragen',
    up: 'nach oben',
    moveUp: (partner: string) => `${partner} eine Stelle nach oben`,
    approve: 'Weiterleitung freigeben',
    reject: 'Weiterleitung ablehnen',
    consent: 'Einwilligung erfassen',
    flag: 'Gemeinsame Bearbeitung anregen',
    close: 'Abschließen',
    outcome: 'Ergebnis',
    choose: 'Bitte wählen',
    outcomeMissing: 'Bitte wählen Sie ein Ergebnis.',
    consentTitle: 'Einwilligung zur Weitergabe',
    consentGivenOn: 'Tag der Einwilligung',
    consentForm: 'Form der Einwilligung',
    consentForms: {
      written: 'schriftlich',
      email: 'per E-Mail',
      phone: 'telefonisch',
      meeting: 'im Gespräch',
    } as Record<string, string>,
    consentDayMissing:
      'Bitte geben Sie den Tag an, an dem der Investor eingewilligt hat, als TT.MM.JJJJ (nicht in der Zukunft).',
    dayFormat: 'Als TT.MM.JJJJ, z. B. 01.12.2026',
    consentNote: 'Notiz zur Einwilligung (optional)',
    consentFormMissing: 'Bitte wählen Sie, wie der Investor eingewilligt hat.',
    cancel: 'Abbrechen',
    ask: {
      approve: 'Weiterleitung freigeben?',
      approveConsequence: (partners: string) =>
        `Der Lead geht an ${partners}, in dieser Reihenfolge. Die Freigabe lässt sich nicht zurücknehmen.`,
      reject: 'Weiterleitung ablehnen?',
      rejectConsequence:
        'Die Anfrage geht an keinen Partner und bleibt bei Ihrer Agentur in Bearbeitung. ' +
        'Die Ablehnung lässt sich nicht zurücknehmen.',
      consent: 'Einwilligung erfassen?',
      consentConsequence: (day: string, form: string) =>
        `Sie erfassen, dass der Investor am ${day} ${form} in die Weitergabe eingewilligt hat. ` +
        'Partner, die den Lead haben, erhalten ihn sofort vollständig, mit Firma und Kontaktdaten. ' +
        'Das lässt sich nicht zurücknehmen.',
      flag: 'Gemeinsame Bearbeitung anregen?',
      flagConsequence: (offices: string) =>
        `${offices} stimmen ab, ob das Vorhaben gemeinsam bearbeitet wird; so lange ruht die Anfrage ` +
        '(Stand „Abstimmung läuft“). Die Abstimmung lässt sich nicht abbrechen.',
      close: (outcome: string) => `Anfrage als „${outcome}“ abschließen?`,
      closeConsequence: (outcome: string) =>
        `Die Anfrage wird als „${outcome}“ abgeschlossen und zählt so in den Kennzahlen. ` +
        'Danach kann niemand mehr an ihr arbeiten.',
    },
    said: {
      approved: (partner: string) => `Die Weiterleitung ist freigegeben. Der Lead ist an ${partner} gesendet.`,
      rejected: 'Die Weiterleitung ist abgelehnt. Die Anfrage bleibt bei Ihrer Agentur in Bearbeitung.',
      consented: 'Die Einwilligung ist erfasst. Partner, die den Lead haben, erhalten ihn vollständig.',
      flagged: 'Die Abstimmung über die gemeinsame Bearbeitung hat begonnen.',
      closed: (outcome: string) => `Die Anfrage ist als „${outcome}“ abgeschlossen.`,
    },
  },
  /**
   * Agencies' short names and offices' titles by their Kennung: filled from the reference data
   * (GET /v1/reference, names.ts) before a screen shows, so that no name is kept twice.
   */
  agencies: {} as Record<string, string>,
  offices: {} as Record<string, string>,
  kinds: { new_settlement: 'Neuansiedlung', expansion: 'Erweiterung', relocation: 'Verlagerung' } as Record<
    string,
    string
  >,
  outcomes: {
    settled: 'Angesiedelt',
    lost: 'Verloren',
    withdrawn: 'Zurückgezogen',
    no_site: 'Kein passender Standort',
  } as Record<string, string>,
  reasons: {
    too_small: 'zu klein',
    too_large: 'zu groß',
    wrong_zoning: 'falsche Gebietsart',
    no_rail: 'kein Gleisanschluss',
    too_far_from_motorway: 'zu weit von der Autobahn',
    not_enough_power: 'zu wenig Anschlussleistung',
    not_available_in_time: 'nicht rechtzeitig verfügbar',
    outside_preferred_locations: 'außerhalb der Wunschorte',
  } as Record<string, string>,
  events: {
    received: 'Eingegangen',
    jurisdiction_determined: 'Zuständigkeit bestimmt',
    sites_proposed: 'Flächen vorgeschlagen',
    forwarding_requested: 'Weiterleitung zur Entscheidung',
    forwarding_decided: 'Über Weiterleitung entschieden',
    lead_forwarded: 'Lead an Partner gesendet',
    lead_accepted: 'Lead angenommen',
    lead_declined: 'Lead abgelehnt',
    lead_expired: 'Lead ohne Antwort abgelaufen',
    joint_handling_requested: 'Abstimmung über gemeinsame Bearbeitung begonnen',
    joint_vote_cast: 'Stimme abgegeben',
    joint_handling_decided: 'Über gemeinsame Bearbeitung entschieden',
    reminder_due: 'Erinnerung',
    consent_recorded: 'Einwilligung erfasst',
    no_partner_candidates: 'Kein Partner mit passender Fläche',
    no_partner_left: 'Kein Partner hat übernommen',
    closed: 'Abgeschlossen',
    personal_data_erased: 'Personenbezogene Daten gelöscht',
  } as Record<string, string>,
  /** Timeline entries that say more than their type: with the decision and the partner. */
  steps: {
    forwardingApproved: (partners: string) => `Weiterleitung freigegeben an ${partners}`,
    forwardingRejected: 'Weiterleitung abgelehnt',
    leadSent: {
      decision: (partner: string) => `Lead an ${partner} gesendet`,
      consent: (partner: string) => `Vollständiger Lead nach der Einwilligung an ${partner} gesendet`,
      joint_handling: (partner: string) => `Lead zur gemeinsamen Bearbeitung an ${partner} gesendet`,
    } as Record<string, (partner: string) => string>,
    leadAccepted: (partner: string) => `Lead von ${partner} angenommen`,
    leadDeclined: (partner: string) => `Lead von ${partner} abgelehnt`,
    leadExpired: (partner: string) => `Lead von ${partner} ohne Antwort abgelaufen`,
    voteCast: (office: string, decision: string) => `Stimme von ${office}: ${decision}`,
    jointDecided: (approved: boolean) =>
      approved ? 'Gemeinsame Bearbeitung beschlossen' : 'Gemeinsame Bearbeitung abgelehnt',
    consent: (day: string, form: string) => `Einwilligung erfasst (gegeben am ${day}, ${form})`,
    closed: (outcome: string) => `Abgeschlossen: ${outcome}`,
    taken: 'Aufgabe übernommen',
    givenTo: (name: string) => `Aufgabe an ${name} abgegeben`,
    handedBack: 'Aufgabe zurückgegeben',
    notAssignee: (name: string) => `zugewiesen war ${name}`,
  },
  privacy: {
    title: 'Datenschutz',
    kept: 'Die personenbezogenen Daten dieser Anfrage sind gespeichert, mit einem eigenen Schlüssel verschlüsselt.',
    erased: (date: string) =>
      `Die personenbezogenen Daten wurden am ${date} gelöscht. Sie sind nicht wiederherstellbar.`,
    exportHint: 'Auskunft nach Art. 15 DSGVO: alles, was Lotse zu dieser Anfrage speichert, als JSON-Datei.',
    export: 'Auskunft herunterladen',
    exporting: 'Die Auskunft wird erstellt …',
    erase: 'Personenbezogene Daten löschen',
    eraseHint:
      'Löscht Ansprechperson, Firmenname, Beschreibung und Notizen endgültig (Art. 17 DSGVO). ' +
      'Die übrigen Angaben der Anfrage und die Kennzahlen bleiben.',
    reason: 'Grund der Löschung (Pflichtfeld)',
    confirm: 'Ich weiß, dass die Löschung nicht rückgängig gemacht werden kann.',
    erasing: 'Die Daten werden gelöscht …',
    erasedNow: 'Die personenbezogenen Daten sind gelöscht.',
  },
  leads: {
    title: 'Leads',
    empty: 'Zurzeit hat Ihnen keine Partneragentur einen Lead angeboten. Neue Leads erscheinen hier.',
    noneFound: 'Kein Lead passt zu dieser Suche.',
    /** What a search found (the api answers the newest leads, at most `cap`), said in a status line. */
    found: (n: number, q: string, cap: boolean) =>
      n === 0
        ? `Kein Lead zu „${q}“ gefunden.`
        : `${cap ? 'Mindestens ' : ''}${n.toLocaleString('de-DE')} ${n === 1 ? 'Lead' : 'Leads'} zu „${q}“ gefunden.`,
    unchanged: 'Nicht gesucht: Bitte prüfen Sie die markierte Angabe. Die Liste unten ist unverändert.',
    cleared: 'Suche zurückgesetzt: Die Liste zeigt wieder alle Leads.',
    searchHint: 'Codename, Referenz oder Ort; die Firma, sobald der Investor der Weitergabe zugestimmt hat',
    search: 'Suchen',
    staffOnly:
      'Leads beantworten die Mitarbeitenden einer Agentur, der eine Partneragentur eine Anfrage anbietet. ' +
      'Ihre Aufgaben finden Sie in der Navigation oben.',
    from: 'von',
    released: 'Der Investor hat der Weitergabe zugestimmt: Sie sehen die vollständige Anfrage.',
    withheld: 'Vertraulich: Firma und Kontakt bleiben verborgen, bis der Investor der Weitergabe zustimmt.',
    contact: 'Kontakt',
    sites: 'Ihre passenden Flächen',
    respondBy: 'Antwort bis',
    accept: 'Lead annehmen',
    decline: 'Lead ablehnen',
    open: 'Offen',
    done: 'Beantwortet',
    noneOpen: 'Zurzeit wartet kein Lead auf Ihre Antwort.',
    requirements: (area: string, zoning: string, rail: boolean, places: string) =>
      `Gesucht: ${area}, Gebietsart ${zoning}${rail ? ', mit Gleisanschluss' : ''}; Wunschorte: ${places}`,
    note: (from: string) => `Notiz von ${from}`,
    toEnquiry: (name: string) => `Anfrage ${name} öffnen`,
    ask: {
      accept: (name: string) => `${name} annehmen?`,
      acceptConsequence: (from: string) =>
        `Ihre Agentur übernimmt die Anfrage von ${from} und bearbeitet sie ab jetzt. Das lässt sich nicht zurücknehmen.`,
      decline: (name: string) => `${name} ablehnen?`,
      declineConsequence: (from: string) =>
        `Die Anfrage geht an den nächsten Partner oder zurück an ${from}; annehmen können Sie sie danach nicht mehr.`,
    },
    said: {
      accept: 'Der Lead ist angenommen: Ihre Agentur bearbeitet die Anfrage jetzt.',
      decline: 'Der Lead ist abgelehnt. Die Anfrage geht zurück an die anbietende Agentur.',
    } as Record<string, string>,
    answered: {
      accepted: 'Sie haben den Lead angenommen.',
      declined: 'Sie haben den Lead abgelehnt.',
      expired: 'Die Frist ist abgelaufen.',
    } as Record<string, string>,
  },
  votes: {
    title: 'Abstimmungen',
    empty: 'Zurzeit wartet keine Abstimmung auf Ihr Amt. Bedeutsame Vorhaben erscheinen hier.',
    officesOnly:
      'Abstimmungen sind Sache der Ämter, die über die gemeinsame Bearbeitung bedeutsamer Vorhaben entscheiden ' +
      '(etwa Oberbürgermeister und Landräte). Ihre Aufgaben finden Sie in der Navigation oben.',
    area: 'Fläche ab',
    why: (reached: string[], flaggedBy: string | null) =>
      reached.length > 0
        ? `Bedeutsam für die Region: ${reached.join(', ')} über der Schwelle der Vereinbarung.`
        : `Zur gemeinsamen Bearbeitung angeregt${flaggedBy ? ` von ${flaggedBy}` : ''}.`,
    thresholds: { jobs: 'Arbeitsplätze', investmentEur: 'Investition', areaM2: 'Fläche' } as Record<string, string>,
    due: 'Abstimmung bis',
    cast: 'Stimmen',
    open: 'noch offen',
    decisions: { approve: 'Zustimmung', reject: 'Ablehnung' } as Record<string, string>,
    approve: 'Zustimmen',
    reject: 'Ablehnen',
    openTitle: 'Offene Abstimmungen',
    past: 'Bereits abgestimmt',
    firm: (name: string) => `Unternehmen: ${name}`,
    meaning: (parties: string) =>
      `„Zustimmen“ heißt: ${parties} bearbeiten das Vorhaben gemeinsam; beide bieten ihre Flächen an ` +
      'und teilen sich den Erfolg in den Kennzahlen. „Ablehnen“ heißt: Die zuständige Agentur bearbeitet es allein.',
    rule: (rule: string, n: number) => {
      const offices = `${['null', 'ein', 'zwei', 'drei', 'vier', 'fünf', 'sechs'][n] ?? n} Ämter`;
      return rule === 'all'
        ? `Gemeinsame Bearbeitung nur, wenn alle ${offices} zustimmen; eine Ablehnung entscheidet.`
        : `Gemeinsame Bearbeitung, wenn mehr als die Hälfte der ${offices} zustimmt.`;
    },
    missingCounts: 'Nicht abgegebene Stimmen zählen bei Fristende als Ablehnung.',
    outcome: {
      approved: 'Ergebnis: gemeinsame Bearbeitung beschlossen.',
      rejected: 'Ergebnis: gemeinsame Bearbeitung abgelehnt.',
    } as Record<string, string>,
    waiting: 'Ergebnis: steht noch aus.',
    said: (decision: string) => `Ihre Stimme ist abgegeben: ${decision}.`,
    ask: {
      approve: 'Der gemeinsamen Bearbeitung zustimmen?',
      reject: 'Die gemeinsame Bearbeitung ablehnen?',
      consequence: (decision: string, office: string, decides: boolean) =>
        `Ihre Stimme („${decision}“) für ${office} zählt sofort und lässt sich nicht ändern.` +
        (decides ? ' Nach der Regel der Vereinbarung entscheidet eine Ablehnung: keine gemeinsame Bearbeitung.' : ''),
    },
  },
  list: {
    title: 'Anfragen',
    empty: 'Keine Anfrage passt zu diesen Filtern.',
    staffOnly:
      'Anfragen listen die Mitarbeitenden und die Geschäftsführung einer Agentur. ' +
      'Was auf Ihr Amt wartet, finden Sie unter „Aufgaben“ und „Abstimmungen“.',
    caption: (page: number) => `Anfragen Ihrer Agentur, neueste zuerst – Seite ${page}`,
    significant: 'bedeutsam',
    previous: 'Vorherige Seite',
    next: 'Nächste Seite',
    columns: {
      enquiry: 'Anfrage',
      received: 'Eingegangen',
      status: 'Stand',
      responsible: 'zuständig',
      handling: 'bearbeitet von',
    },
    filters: {
      search: 'Suche',
      searchHint: 'Firma, Codename, Referenz oder Ort; Wortanfänge genügen',
      searchShort: 'Bitte mindestens ein Wort mit drei Buchstaben oder Ziffern eingeben.',
      status: 'Stand',
      responsible: 'zuständig (Agentur)',
      handling: 'bearbeitet von (Agentur)',
      significant: 'bedeutsam',
      from: 'Eingegangen ab',
      to: 'Eingegangen vor',
      any: 'alle',
      apply: 'Filtern',
      wrong: 'Bitte prüfen Sie diese Angabe.',
    },
    /** What a search found, said in a status line; the api gives a page and whether more follow, no total. */
    search: {
      found: (n: number, q: string, filtered: boolean) =>
        `${n === 0 ? 'Keine Anfrage' : `${n.toLocaleString('de-DE')} ${n === 1 ? 'Anfrage' : 'Anfragen'}`} zu „${q}“` +
        `${filtered ? ' mit den gewählten Filtern' : ''} gefunden.`,
      more: (n: number, q: string, filtered: boolean) =>
        `Mehr als ${n.toLocaleString('de-DE')} Anfragen zu „${q}“${filtered ? ' mit den gewählten Filtern' : ''} ` +
        'gefunden, weitere auf der nächsten Seite.',
      range: (from: number, to: number) => ` Diese Seite zeigt Nr. ${from} bis ${to}.`,
      unchanged: 'Nicht gefiltert: Bitte prüfen Sie die markierte Angabe. Die Liste unten ist unverändert.',
      still: (found: string) => ` Sie zeigt weiter: ${found}`,
      cleared: (filtered: boolean) =>
        `Suche zurückgesetzt: Die Liste zeigt wieder alle Anfragen${filtered ? ' der gewählten Filter' : ''}.`,
      reset: 'Suche zurücksetzen',
    },
  },
  figures: {
    title: 'Kennzahlen',
    from: 'Eingegangen ab',
    to: 'Eingegangen vor',
    show: 'Anzeigen',
    period: (from: string, to: string, byDefault: boolean) =>
      `Anfragen, eingegangen vom ${from} bis zum ${to}${byDefault ? ' (dieses Jahr, da kein Zeitraum gewählt ist)' : ''}.`,
    csv: 'Als CSV herunterladen',
    csvFile: (agency: string, from: string, to: string) => `kennzahlen-${agency}-${from}-bis-${to}.csv`,
    csvAsOf: 'Stand der Zahlen',
    csvPending: 'unvollständig, werden noch zusammengestellt',
    managersOnly:
      'Kennzahlen sind Sache der Geschäftsführung: Sie sehen sie mit einem Konto der Geschäftsführung Ihrer Agentur. ' +
      'Ihre Aufgaben und Anfragen finden Sie in der Navigation oben.',
    invalidPeriod: 'Bitte prüfen Sie den Zeitraum: „Eingegangen vor“ muss nach „Eingegangen ab“ liegen.',
    enquiries: 'Anfragen',
    significant: 'davon bedeutsam',
    forwarded: 'Weiterleitung angefragt / Leads weitergeleitet / angenommen',
    settled: 'Angesiedelt',
    byStatus: 'Nach Stand',
    byMonth: 'Eingang nach Monat',
    month: 'Monat',
    count: 'Anzahl',
    /** What a chart's canvas says to a screen reader: where its numbers are. */
    chart: (title: string) => `Balkendiagramm „${title}“; die Zahlen stehen in der Tabelle daneben.`,
    joint: 'Gemeinsam bearbeitete Vorhaben',
    jointProjects: (n: number) =>
      n === 1
        ? '1 Vorhaben wird nach Abstimmung gemeinsam bearbeitet.'
        : `${n} Vorhaben werden nach Abstimmung gemeinsam bearbeitet.`,
    /** After the agency's name: "IRL: an einem Vorhaben beteiligt". */
    jointShare: (n: number) => `: an ${n === 1 ? 'einem Vorhaben' : `${n} Vorhaben`} beteiligt`,
    outcomes: 'Ergebnisse',
    medians: 'Mittlere Zeit vom Eingang bis zur Entscheidung',
    noDecisions: 'Im Zeitraum wurde noch nichts entschieden.',
    shares: 'Anteile an angesiedelten Vorhaben (gemeinsame zu gleichen Teilen)',
    none: 'Keine.',
  },
  sites: {
    title: 'Flächen',
    empty: 'Keine Fläche passt zu dieser Suche.',
    count: (n: number) => (n === 1 ? '1 Fläche' : `${n} Flächen`),
    ownHint: (agency: string) => `Flächen von ${agency} können Sie auf ihrer Seite bearbeiten.`,
    notFound: 'Diese Fläche gibt es nicht.',
    forbidden: 'Diese Fläche gehört einer anderen Agentur; ändern können sie nur deren Mitarbeitende.',
    facts: 'Angaben',
    loading: 'Fläche',
    factLabels: {
      agency: 'Agentur',
      ags: 'Gemeinde',
      areaM2: 'Größe',
      zoning: 'Gebietsart',
      railAccess: 'Gleisanschluss',
      motorwayKm: 'Entfernung zur Autobahn',
      powerMw: 'Anschlussleistung',
      availableFrom: 'verfügbar ab',
      pricePerM2Eur: 'Preis je m²',
    } as Record<string, string>,
    noPrice: 'keine Angabe',
    km: (km: string) => `${km} km`,
    mw: (mw: string) => `${mw} MW`,
    eurPerM2: (eur: string) => `${eur} € je m²`,
    siteIdLabel: 'Kennung',
    idHint: 'Wird aus dem Namen gebildet; unter dieser Kennung finden Sie die Fläche wieder.',
    choose: 'Bitte wählen',
    createdMessage: (name: string) => `Die Fläche „${name}“ ist angelegt.`,
    open: (name: string) => `„${name}“ öffnen`,
    another: 'Weitere Fläche anlegen',
    staffOnly:
      'Flächen legen die Mitarbeitenden einer Agentur an, für das Gebiet ihrer Agentur. Unter „Flächen“ finden Sie alle.',
    savedMessage: (name: string) => `Gespeichert: „${name}“ zeigt jetzt Ihre Angaben.`,
    withdrawnMessage: (name: string) => `„${name}“ ist zurückgezogen und wird keiner Anfrage mehr vorgeschlagen.`,
    refused: 'Nicht gespeichert. Bitte prüfen Sie die markierten Felder.',
    agsOutside: 'Diese Gemeinde liegt nicht im Gebiet Ihrer Agentur. Flächen anderer Gebiete legen deren Agenturen an.',
    exists: 'Eine Fläche mit dieser Kennung gibt es schon. Bitte ändern Sie den Namen ein wenig.',
    zonings: {
      GI: 'GI – Industriegebiet',
      GE: 'GE – Gewerbegebiet',
      MI: 'MI – Mischgebiet',
      SO: 'SO – Sondergebiet',
    } as Record<string, string>,
    back: 'Zurück zu den Flächen',
    filters: {
      agency: 'Agentur',
      ags: 'Ort oder Gebiet',
      agsHint: 'Gemeinde, Landkreis oder Land, z. B. Torgau oder Nordsachsen',
      minArea: 'Mindestgröße (m²)',
      search: 'Suchen',
      agencyWrong: 'Bitte eine Agentur aus der Liste wählen.',
      agsWrong: 'Bitte einen Ort aus der Liste wählen.',
    },
    columns: {
      name: 'Fläche',
      agency: 'Agentur',
      area: 'Größe',
      zoning: 'Gebietsart',
      rail: 'Gleisanschluss',
      available: 'verfügbar ab',
    },
    fields: {
      name: 'Name',
      ags: 'Gemeinde',
      areaM2: 'Größe (m²)',
      zoning: 'Gebietsart',
      railAccess: 'Gleisanschluss',
      motorwayKm: 'Entfernung zur Autobahn (km)',
      powerMw: 'Anschlussleistung (MW)',
      availableFrom: 'verfügbar ab',
      pricePerM2Eur: 'Preis je m² (€, optional)',
      siteId: 'Kennung',
    } as Record<string, string>,
    edit: 'Fläche bearbeiten',
    create: 'Neue Fläche anlegen',
    withdrawQuestion: (name: string) => `„${name}“ zurückziehen?`,
    withdrawConsequence:
      'Die Fläche wird keiner Anfrage mehr vorgeschlagen. Ihre Historie bleibt erhalten; anlegen können Sie sie jederzeit neu.',
    keep: 'Nicht zurückziehen',
    hints: {
      siteId: 'Bitte geben Sie einen Namen mit Buchstaben oder Ziffern an; daraus wird die Kennung gebildet.',
      name: 'Bitte geben Sie einen Namen an.',
      ags: 'Bitte die Gemeinde aus der Liste wählen.',
      areaM2: 'Bitte die Größe als Zahl über 0 angeben, z. B. 45.000.',
      zoning: 'Bitte wählen Sie die Gebietsart.',
      motorwayKm: 'Bitte als Zahl angeben, z. B. 3,5.',
      powerMw: 'Bitte als Zahl angeben, z. B. 10.',
      pricePerM2Eur: 'Bitte als Zahl angeben, z. B. 35.',
      availableFrom: 'Bitte den Tag als TT.MM.JJJJ angeben, z. B. 01.03.2027.',
    } as Record<string, string>,
    save: 'Speichern',
    saved: 'Gespeichert.',
    withdraw: 'Fläche zurückziehen',
    withdrawn: 'Zurückgezogen',
    invalid: 'Bitte prüfen Sie diese Angabe.',
    history: 'Historie',
    created: 'angelegt',
    unchanged: 'ohne Änderung',
    seeded: 'Beispieldaten',
    authors: {
      seed: 'Beispieldaten beim ersten Start',
      user: (user: string, agency: string) => `${user} (${agency})`,
      unknown: 'unbekannt',
    },
  },
  /** How a number typed into a field was misread, by `parseGermanNumber`'s reason. */
  map: {
    sites: 'Karte der Flächen',
    enquiry: 'Karte der Standorte',
    skip: 'Karte überspringen, weiter zur Liste',
    legend: 'Zeichenerklärung der Karte',
    kinds: { site: 'Fläche', proposed: 'vorgeschlagen', other: 'passt nicht (grau)' },
    preferred: 'liegt in einem Wunschort (Ring)',
    inPreferred: 'liegt in einem Wunschort',
    proposed: 'vorgeschlagen',
    notFitting: (reasons: string) => `passt nicht: ${reasons}`,
    sameAsList: 'Dieselben Angaben stehen in der Liste.',
    unplaced: (n: number) =>
      n === 1
        ? 'Eine Fläche hat keine Lage und fehlt auf der Karte.'
        : `${n} Flächen haben keine Lage und fehlen auf der Karte.`,
    zoomIn: 'Vergrößern',
    zoomOut: 'Verkleinern',
    close: 'Schließen',
  },
  numbers: {
    empty: 'Bitte eine Zahl angeben.',
    ambiguous: 'Bitte prüfen: Der Punkt trennt Tausender (50.000), das Komma Nachkommastellen (2,8).',
    invalid: 'Bitte nur eine Zahl angeben, z. B. 50.000 oder 2,8.',
  } as Record<string, string>,
  problems: {
    0: 'Ein unbekannter Fehler ist aufgetreten.',
    400: 'Die Angaben sind unvollständig oder fehlerhaft. Bitte prüfen Sie die markierten Felder.',
    403: 'Das dürfen Sie bei dieser Anfrage nicht tun.',
    404: 'Diese Anfrage gibt es nicht, oder Sie dürfen sie nicht sehen.',
    409: 'Das geht im jetzigen Stand der Anfrage nicht (mehr) – vielleicht hat jemand anderes schon entschieden. Bitte laden Sie die Seite neu.',
    503: 'Lotse ist gerade nicht erreichbar. Bitte versuchen Sie es in einer Minute erneut; Ihre Eingaben bleiben erhalten.',
  } as Record<number, string>,
  status: {
    received: 'Eingegangen',
    in_progress: 'In Bearbeitung',
    awaiting_forwarding_decision: 'Weiterleitung offen',
    awaiting_partner: 'Beim Partner',
    awaiting_joint_decision: 'Abstimmung läuft',
    closed: 'Abgeschlossen',
  } as Record<string, string>,
};
