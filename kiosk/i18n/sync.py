"""Messages of sync: the top-bar indicator, the staff page's sync rows, and each error class."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Top-bar indicator (residents see it; calm, no numbers)
    "sync.indicator.online": ("● 연결됨", "● Connected"),
    "sync.indicator.offline": ("○ 연결 끊김", "○ Not connected"),
    "sync.indicator.error": ("△ 연결 확인 필요", "△ Connection needs a check"),
    "sync.indicator.name": ("서버 연결 상태", "Server connection"),
    # Staff page
    "sync.admin.title": ("서버와 주고받기", "Sending to the server"),
    "sync.admin.state": ("지금 상태", "Now"),
    "sync.state.idle": ("모두 보냈습니다", "Everything is sent"),
    "sync.state.syncing": ("보내는 중입니다", "Sending"),
    "sync.state.offline": ("서버에 연결되지 않습니다", "Cannot reach the server"),
    "sync.state.error": ("서버가 받지 않았습니다", "The server did not take it"),
    "sync.state.not_enrolled": (
        "서버에 등록되지 않은 기기입니다. 답변은 이 기기에만 보관됩니다.",
        "This device is not enrolled with a server. Answers stay on this device.",
    ),
    "sync.state.retry_in": ("{seconds}초 뒤 다시 보냅니다", "Trying again in {seconds} s"),
    "sync.admin.last_success": ("마지막으로 보낸 때", "Last sent"),
    "sync.admin.last_error": ("마지막 오류", "Last error"),
    "sync.admin.never": ("아직 없음", "Not yet"),
    "sync.admin.no_error": ("오류 없음", "No errors"),
    "sync.admin.sync_now": ("지금 동기화", "Sync now"),
    "sync.admin.sync_started": (
        "지금 보내고 있습니다. 잠시 뒤 이 화면에 결과가 나옵니다.",
        "Sending now. The result shows on this page shortly.",
    ),
    "sync.admin.sync_unavailable": (
        "서버에 등록되지 않아 보낼 수 없습니다. 등록은 'python -m sync enroll' 명령으로 합니다.",
        "Cannot send: this device is not enrolled. Enrol it with 'python -m sync enroll'.",
    ),
    # Error classes (sync.client, sync.content): what happened, then what to do
    "sync.error.network": (
        "서버에 연결되지 않습니다. 답변은 이 기기에 안전하게 보관되어 있고, 연결되면 저절로"
        " 보냅니다. 오래 계속되면 인터넷 선과 공유기를 확인해 주세요.",
        "Cannot reach the server. Answers are kept safely on this device and are sent when the"
        " connection returns. If this lasts, check the network cable and router.",
    ),
    "sync.error.server": (
        "서버가 잠시 받지 못하고 있습니다. 조금 뒤 저절로 다시 보냅니다.",
        "The server cannot take answers just now. The device tries again by itself.",
    ),
    "sync.error.auth": (
        "서버가 이 기기를 알아보지 못합니다. 구청 담당자에게 기기 등록을 다시 요청해 주세요.",
        "The server does not recognise this device. Ask the district office to enrol it again.",
    ),
    "sync.error.revoked": (
        "이 기기는 서버에서 사용이 중지되었습니다. 구청 담당자에게 문의해 주세요.",
        "This device was switched off on the server. Please contact the district office.",
    ),
    "sync.error.rejected": (
        "서버가 일부 답변을 받지 않았습니다. 받지 않은 답변은 아래 목록에 보관되어 있습니다.",
        "The server refused some answers. They are kept in the list below.",
    ),
    "sync.error.protocol": (
        "서버의 답을 읽을 수 없습니다. 저절로 다시 시도합니다. 계속되면 구청 담당자에게"
        " 알려 주세요.",
        "The server's answer could not be read. The device tries again; if it goes on, tell"
        " the district office.",
    ),
    "sync.error.content": (
        "새 안내 내용에 문제가 있어 받지 않았습니다. 지금 내용을 계속 보여 줍니다. 구청"
        " 담당자에게 알려 주세요.",
        "The new content has a problem and was not taken. The current content stays on."
        " Please tell the district office.",
    ),
    "sync.error.corrupt": (
        "새 사진이나 영상이 망가진 채로 왔습니다. 지금 내용을 계속 보여 주고, 다시 받겠습니다.",
        "New pictures or videos arrived damaged. The current content stays on; the device"
        " will fetch them again.",
    ),
    "sync.error.device": (
        "이 기기 안에서 문제가 생겨 보내지 못했습니다. 저절로 다시 시도합니다. 계속되면 기기를"
        " 껐다가 다시 켜 주세요.",
        "Something went wrong inside this device, so nothing was sent. It tries again by"
        " itself; if this goes on, switch the device off and on again.",
    ),
    "sync.error.sealed_elsewhere": (
        "주민 확인이 다른 서버용으로 잠긴 답변이 있어 이 서버로 보내지 않았습니다. 답변은 이"
        " 기기에 보관되어 있습니다. USB로 내보내 원래 서버에 넣어 주세요.",
        "Some answers carry an identity sealed for another server, so they were not sent to"
        " this one. They are kept on this device: export them to USB for their own server.",
    ),
    "sync.error.disk": (
        "이 기기의 저장 공간에 쓰지 못했습니다. 저장 공간이 가득 찼는지 확인해 주세요.",
        "Could not write to this device's storage. Please check whether it is full.",
    ),
}
