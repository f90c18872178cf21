"""Messages of the staff page's device settings (the configuration file) and enrolment."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Buttons on the status page
    "settings.entry": ("기기 설정", "Device settings"),
    "enroll.entry": ("기기 등록", "Enrol this device"),
    # The settings list
    "settings.title": ("기기 설정", "Device settings"),
    "settings.hint": (
        "바꿀 항목을 누르세요. 저장하기 전에는 아무것도 바뀌지 않습니다.",
        "Tap a setting to change it. Nothing changes until you save.",
    ),
    "settings.file": ("설정 파일: {path}", "Configuration file: {path}"),
    "settings.file.new": (
        "설정 파일이 아직 없습니다. 저장하면 새로 만들고, 앱은 시작할 때 이 파일을 읽습니다.",
        "There is no configuration file yet. Saving creates it; the app reads it at start.",
    ),
    "settings.changed": ("바뀜", "changed"),
    "settings.review": ("바뀐 내용 확인", "Review changes"),
    "settings.unreadable": (
        "설정 파일을 읽을 수 없어 여기서 바꿀 수 없습니다.",
        "The configuration file cannot be read, so it cannot be changed here.",
    ),
    # Keys
    "settings.key.mode": ("사용 방식", "Mode"),
    "settings.key.dong": ("설치된 동", "Dong"),
    "settings.key.panel_diagonal_inches": ("화면 크기", "Screen size"),
    "settings.key.server_url": ("서버 주소", "Server address"),
    "settings.key.screen_off": ("화면 끄는 시간", "Screen-off hours"),
    # Values
    "settings.mode.kiosk": ("키오스크 (주민 참여)", "Kiosk (residents take part)"),
    "settings.mode.board": ("미디어 보드 (영상·홍보)", "Media board (videos, notices)"),
    "settings.dong.none": ("동 없음", "No dong"),
    "settings.panel": ("{inches}인치", '{inches}"'),
    "settings.server.none": ("없음 (서버 없이 사용)", "None (no server)"),
    "settings.screen_off.none": ("끄지 않음", "Always on"),
    "settings.screen_off.window": ("{start}부터 {end}까지", "{start} to {end}"),
    "settings.choose": ("하나를 고르세요.", "Choose one."),
    "settings.url.hint": (
        "https:// 로 시작하는 주소를 입력하고 입력 완료를 누르세요. 비우면 서버 없이 씁니다.",
        "Type an address starting with https:// and press Done. Leave it empty for no server.",
    ),
    # Review and save
    "settings.review.title": ("바뀐 내용 확인", "Review changes"),
    "settings.review.none": ("바뀐 것이 없습니다.", "Nothing has changed."),
    "settings.review.change": ("{before}  →  {after}", "{before}  →  {after}"),
    "settings.save": ("저장", "Save"),
    "settings.error": (
        "저장하지 못했습니다 ({key}): {detail}",
        "Not saved ({key}): {detail}",
    ),
    "settings.error.server_url": (
        "서버 주소는 https:// 또는 http:// 로 시작해야 합니다.",
        "The server address must start with https:// or http://.",
    ),
    "settings.saved.title": ("저장했습니다", "Saved"),
    "settings.saved.restart": ("다시 시작하면 적용됩니다.", "The change applies after a restart."),
    "settings.saved.default_file": (
        "이 앱은 --config 없이 시작되어 기본 설정 파일에 저장했습니다. 앱은 다음에 시작할 때도"
        " 이 파일을 읽습니다.",
        "The app was started without --config, so this was saved to the default configuration"
        " file. The app reads that file at every start.",
    ),
    "settings.restart_now": ("지금 다시 시작", "Restart now"),
    # Enrolment
    "enroll.title": ("기기 등록", "Enrol this device"),
    "enroll.hint": (
        "구청에서 받은 서버 주소와 등록 코드를 입력하고 등록하기를 누르세요.",
        "Type the server address and the enrolment code from the district office, then press"
        " Enrol.",
    ),
    "enroll.url": ("서버 주소", "Server address"),
    "enroll.code": ("등록 코드", "Enrolment code"),
    "enroll.code.hint": (
        "등록 코드를 입력하고 입력 완료를 누르세요 (예: ABCD-EFGH-JKMN).",
        "Type the enrolment code and press Done (for example ABCD-EFGH-JKMN).",
    ),
    "enroll.empty": ("눌러서 입력", "Tap to type"),
    "enroll.start": ("등록하기", "Enrol"),
    "enroll.already": (
        "이미 등록된 기기입니다 (기기 번호 {device_id}). 같은 서버에만 다시 등록할 수 있고,"
        " 다시 등록하면 새 번호를 받습니다. 다른 서버로 옮기려면 먼저 기기 초기화를 하세요.",
        "This device is already enrolled (device {device_id}). It may enrol again with the same"
        " server only (it gets a new number); to move it to another server, reset it first.",
    ),
    "enroll.pin": ("새 관리자 비밀번호", "New staff PIN"),
    "enroll.pin.set": ("정했습니다 (●●●●●●)", "Set (●●●●●●)"),
    "enroll.pin.config": (
        "관리자 비밀번호는 설정 파일(admin_pin_hash)이 정합니다.",
        "The staff PIN is set by the configuration file (admin_pin_hash).",
    ),
    "enroll.pin.missing": (
        "등록할 때 이 기기의 새 관리자 비밀번호를 정합니다. 비밀번호를 눌러 주세요.",
        "Enrolment sets this device's new staff PIN. Please set the PIN.",
    ),
    "enroll.pin.hint": (
        "이 기기의 새 관리자 비밀번호를 눌러 주세요 (숫자 6~8자리). 등록이 끝나면 이"
        " 비밀번호로 관리자 화면에 들어옵니다.",
        "Enter this device's new staff PIN (6 to 8 digits). Once enrolled, it opens the staff"
        " pages.",
    ),
    "enroll.error.pinned": (
        "이 기기는 다른 서버({url})에 등록되어 있어 이 서버에 등록하지 않았습니다. 다른 서버로"
        " 옮기려면 먼저 기기 초기화를 하세요.",
        "This device is enrolled with another server ({url}), so it was not enrolled here. To"
        " move it, reset the device first.",
    ),
    "enroll.error.pinned_key": (
        "서버의 열쇠가 처음 등록할 때와 달라 등록하지 않았습니다. 같은 주소에 다른 서버가"
        " 있습니다. 구청 담당자에게 알려 주세요.",
        "The server's key differs from the one at enrolment, so the device was not enrolled:"
        " another server answers at that address. Please tell the district office.",
    ),
    # 기기 초기화 (sync.enrolment)
    "reset.entry": ("기기 초기화", "Reset device"),
    "reset.title": ("기기 초기화", "Reset device"),
    "reset.hint": (
        "지금 등록된 서버({url})를 잊고 다른 서버에 등록할 수 있게 합니다. 아직 보내지 않은"
        " 제출물은 먼저 USB로 내보내야 합니다. 계속하려면 관리자 비밀번호를 눌러 주세요.",
        "Forgets the server the device is enrolled with ({url}) so that it can enrol with"
        " another. Unsent submissions must be exported to USB first. Enter the staff PIN to"
        " continue.",
    ),
    "reset.not_enrolled": (
        "이 기기는 서버에 등록되어 있지 않습니다. 초기화할 것이 없습니다.",
        "This device is not enrolled with a server: there is nothing to reset.",
    ),
    "reset.refused.pending": (
        "아직 보내지 않은 제출물이 USB로 내보내지 않은 채 남아 있어 초기화할 수 없습니다."
        " 먼저 USB로 내보내세요: 셸에서 python -m sync export 폴더.",
        "Unsent submissions have not been exported to USB, so the device cannot be reset."
        " Export them to USB first: python -m sync export FOLDER in a shell.",
    ),
    "reset.pending_count": (
        "내보내지 않은 제출물: {count}건",
        "Submissions not yet exported: {count}",
    ),
    "reset.done": (
        "초기화했습니다. USB로 내보낸 제출물 {count}건은 USB로만 구청에 전달됩니다. 다시"
        " 시작한 뒤 기기 등록으로 새 서버에 등록하세요.",
        "The device is reset. The {count} submissions exported to USB reach the district on"
        " the USB stick only. Restart, then enrol the device with its new server.",
    ),
    "enroll.missing": (
        "서버 주소와 등록 코드를 모두 입력해 주세요.",
        "Please type both the server address and the enrolment code.",
    ),
    "enroll.running": ("등록하고 있습니다. 잠시 기다려 주세요.", "Enrolling. Please wait."),
    "enroll.done": (
        "등록되었습니다. 기기 번호: {device_id}. 다시 시작하면 서버와 주고받기를 시작합니다.",
        "Enrolled as device {device_id}. Syncing with the server starts after a restart.",
    ),
    "enroll.error.code": (
        "등록 코드가 맞지 않거나, 이미 쓰였거나, 기한이 지났습니다. 구청에서 새 코드를 받아"
        " 주세요.",
        "The enrolment code is wrong, already used or expired. Please ask the district office"
        " for a new one.",
    ),
    "enroll.error.network": (
        "서버에 연결되지 않습니다. 서버 주소와 인터넷 연결을 확인해 주세요.",
        "Cannot reach the server. Please check the address and the network connection.",
    ),
    "enroll.error.server": (
        "서버가 지금 등록을 받지 못합니다. 잠시 뒤 다시 해 주세요.",
        "The server cannot enrol devices just now. Please try again shortly.",
    ),
    "enroll.error.other": (
        "등록하지 못했습니다. 구청 담당자에게 알려 주세요.",
        "The device could not be enrolled. Please tell the district office.",
    ),
}
